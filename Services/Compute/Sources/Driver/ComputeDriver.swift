import Logging
import Schemas

/// A hypervisor backend (Nova's `ComputeDriver`), chosen by `[DEFAULT] compute_driver`.
///
/// The manager prepares everything on disk (image cache, overlay, `libvirt.xml`, console
/// file) and records state before calling the driver; a driver only runs and stops guests.
/// The `qemu` driver runs one `qemu-system-x86_64` per instance with its QMP socket in the
/// instance directory and VNC on 5900+N; the `fake` driver keeps power states in memory.
/// Every method is idempotent per instance uuid (at-least-once delivery, restarts).
public protocol ComputeDriver: Sendable {
    /// `fake`, `qemu`: the driver's name and the hypervisor type it reports.
    var hypervisorType: String { get }

    /// Takes over what survived a restart: `known` are the instances the manager's records
    /// say this driver was running, with their last recorded power state.
    func restore(_ known: [String: PowerState], logger: Logger) async

    /// Starts the guest described by `request`; returns its power state (normally running).
    func spawn(_ request: SpawnRequest, logger: Logger) async throws -> PowerState

    /// Stops and forgets the guest; no error when it does not exist.
    func destroy(uuid: String, logger: Logger) async throws

    /// Shuts the guest down (ACPI first, then hard, for real drivers).
    func powerOff(uuid: String, logger: Logger) async throws
    func powerOn(uuid: String, logger: Logger) async throws
    func reboot(uuid: String, type: RebootType, logger: Logger) async throws

    /// The guest's power state, or nil when the driver has no such guest.
    func instanceInfo(uuid: String) async -> DriverInstanceInfo?

    /// Uuids of every guest the driver has.
    func listInstances() async -> [String]

    /// The node's capacity.
    func hostResources() async -> HostResources

    /// Where the guest's VNC server listens.
    /// - Throws: ``ConsoleTypeUnavailable`` when the driver has no VNC (fake).
    func vncConsole(uuid: String) async throws -> VNCConsoleResult
}

/// What the driver gets to start a guest: the instance and the files the manager prepared.
public struct SpawnRequest: Sendable {
    public var instance: InstanceSpec
    /// The domain the manager wrote to `libvirt.xml` (VNC port not yet allocated).
    public var domain: DomainDefinition
    public var instanceDirectory: String
    public var diskPath: String
    public var domainXMLPath: String
    public var consoleLogPath: String

    public init(
        instance: InstanceSpec, domain: DomainDefinition, instanceDirectory: String, diskPath: String, domainXMLPath: String,
        consoleLogPath: String
    ) {
        self.instance = instance
        self.domain = domain
        self.instanceDirectory = instanceDirectory
        self.diskPath = diskPath
        self.domainXMLPath = domainXMLPath
        self.consoleLogPath = consoleLogPath
    }
}

/// A guest as the driver sees it.
public struct DriverInstanceInfo: Sendable, Equatable {
    public var uuid: String
    public var powerState: PowerState
    public init(uuid: String, powerState: PowerState) {
        self.uuid = uuid
        self.powerState = powerState
    }
}

/// A node's capacity as the driver reports it.
public struct HostResources: Sendable, Equatable {
    public var vcpus: Int
    public var memoryMB: Int
    public var localGB: Int
    public var hypervisorType: String
    public init(vcpus: Int, memoryMB: Int, localGB: Int, hypervisorType: String) {
        self.vcpus = vcpus
        self.memoryMB = memoryMB
        self.localGB = localGB
        self.hypervisorType = hypervisorType
    }
}

/// A driver operation failed; the message says what and why.
public struct ComputeDriverError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
