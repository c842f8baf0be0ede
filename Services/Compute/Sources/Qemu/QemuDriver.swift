import Foundation
import Logging
import Schemas

/// The `qemu` driver: one `qemu-system-x86_64` per instance, started daemonized from the
/// instance's ``DomainDefinition`` (the same one `libvirt.xml` shows), with its QMP socket
/// and pid file in the instance directory, the serial console in `console.log`, VNC on the
/// first free 5900+N, and the tap the manager plugged.
///
/// qemu runs in its own session, so stopping cirrus-compute leaves guests running; a
/// restarted driver finds them through the pid files and QMP (``restore(_:logger:)``). The
/// domains (with their VNC ports) are kept in the host's SQLite. KVM is used when `/dev/kvm`
/// opens (or `[libvirt] virt_type = kvm`), TCG otherwise.
public actor QemuDriver: ComputeDriver {
    /// `[libvirt]`, `[compute]` and `[vnc]` options of the driver.
    public struct Options: Sendable {
        public var binary = "qemu-system-x86_64"
        /// `[libvirt] virt_type`: `kvm`, `qemu` (TCG), or `auto` (KVM when /dev/kvm opens).
        public var virtType = "auto"
        /// `[compute] shutdown_timeout`: seconds a guest gets to power off before it is killed.
        public var shutdownTimeout: Double = 60
        /// `[vnc] server_listen`.
        public var vncListen = "127.0.0.1"
        /// Displays 0..<vncDisplays are handed out.
        public var vncDisplays = 1000
        /// Seconds to wait for a QMP answer.
        public var qmpTimeout: Double = 5
        public init() {}
    }

    public nonisolated let hypervisorType = "QEMU"
    public let options: Options
    /// `kvm` or `qemu`: the libvirt domain type every domain gets.
    public nonisolated let domainType: String
    let vhostNet: Bool
    let store: ComputeStore
    let paths: InstancePaths
    /// The domains this driver runs, by uuid (mirrors the `qemu_domains` table).
    var domains: [String: DomainDefinition] = [:]

    /// - Throws: ``ComputeDriverError`` when `virt_type = kvm` but /dev/kvm cannot be opened.
    public init(options: Options, store: ComputeStore, paths: InstancePaths) throws {
        self.options = options
        self.store = store
        self.paths = paths
        let kvm = HostCapacity.canOpen("/dev/kvm")
        if options.virtType == "kvm", !kvm {
            throw ComputeDriverError("[libvirt] virt_type = kvm but /dev/kvm cannot be opened: load kvm or set virt_type = qemu")
        }
        domainType = Self.domainType(
            virtType: options.virtType, kvmOpens: kvm, kvmIsPVM: FileManager.default.fileExists(atPath: "/sys/module/kvm_pvm"))
        vhostNet = HostCapacity.canOpen("/dev/vhost-net")
    }

    /// `kvm` or `qemu` (TCG) for `[libvirt] virt_type`. `auto` takes KVM when /dev/kvm opens,
    /// except under PVM (`kvm_pvm`, KVM in some cloud VMs without nested virtualisation): there a
    /// boot sector runs but a Linux guest's memory writes crawl and it never finishes booting,
    /// while TCG boots it in seconds. `kvm` forces KVM anyway.
    public static func domainType(virtType: String, kvmOpens: Bool, kvmIsPVM: Bool) -> String {
        switch virtType {
        case "kvm": "kvm"
        case "qemu": "qemu"
        default: kvmOpens && !kvmIsPVM ? "kvm" : "qemu"
        }
    }

    public func restore(_ known: [String: PowerState], logger: Logger) async {
        do {
            for d in try await store.qemuDomains() { domains[d.instance.uuid] = d }
        } catch {
            logger.error("Cannot read the qemu domains from cirrus-compute.sqlite", metadata: ["error": "\(error)"])
        }
        for uuid in domains.keys.sorted() {
            var log = logger
            log[metadataKey: "instance.id"] = "\(uuid)"
            if let pid = livePID(uuid) {
                let status = try? await qmp(uuid).status()
                log.info("Re-attached to a running qemu", metadata: ["pid": "\(pid)", "qmp.status": "\(status ?? "unreachable")"])
            } else if known[uuid] == .running {
                log.warning("qemu of a running instance is gone")
            }
        }
    }

    public func spawn(_ request: SpawnRequest, logger: Logger) async throws -> PowerState {
        let uuid = request.instance.uuid
        if domains[uuid] != nil, livePID(uuid) != nil {
            logger.info("qemu already runs for this instance")
            return await instanceInfo(uuid: uuid)?.powerState ?? .running
        }
        var domain = request.domain
        domain.domainType = domainType
        domain.vncListen = options.vncListen
        domain.vncPort = domains[uuid]?.vncPort
        domains[uuid] = domain
        try await start(uuid, logger: logger)
        return await instanceInfo(uuid: uuid)?.powerState ?? .running
    }

    public func destroy(uuid: String, logger: Logger) async throws {
        await kill(uuid, logger: logger)
        domains[uuid] = nil
        try await store.deleteQemuDomain(uuid)
        for path in [paths.qmpSocket(uuid: uuid), paths.qemuPidFile(uuid: uuid)] { try? FileManager.default.removeItem(atPath: path) }
    }

    public func powerOff(uuid: String, logger: Logger) async throws {
        try require(uuid)
        if await !shutdownGracefully(uuid, logger: logger) {
            logger.warning("Guest did not power off in time; killing qemu", metadata: ["timeout.s": "\(options.shutdownTimeout)"])
        }
        await kill(uuid, logger: logger)
    }

    public func powerOn(uuid: String, logger: Logger) async throws {
        try require(uuid)
        try await start(uuid, logger: logger)
    }

    /// Soft: the guest powers off (ACPI) and is started again; a guest that does not power
    /// off within the shutdown timeout is rebooted hard (Nova's fallback). Hard: kill and start.
    public func reboot(uuid: String, type: RebootType, logger: Logger) async throws {
        try require(uuid)
        if type == .soft, await !shutdownGracefully(uuid, logger: logger) {
            logger.warning("Guest did not power off for a soft reboot in time; rebooting hard")
        }
        await kill(uuid, logger: logger)
        try await start(uuid, logger: logger)
    }

    public func instanceInfo(uuid: String) async -> DriverInstanceInfo? {
        guard domains[uuid] != nil else { return nil }
        let alive = livePID(uuid) != nil
        let status = alive ? try? await qmp(uuid).status() : nil
        return DriverInstanceInfo(uuid: uuid, powerState: QemuPowerState.powerState(processAlive: alive, status: status))
    }

    public func listInstances() -> [String] {
        domains.keys.sorted()
    }

    public func hostResources() -> HostResources {
        HostResources(
            vcpus: HostCapacity.vcpus(), memoryMB: HostCapacity.memoryMB(), localGB: HostCapacity.diskGB(path: (paths.instancesRoot as NSString).deletingLastPathComponent),
            hypervisorType: hypervisorType)
    }

    public func vncConsole(uuid: String) throws -> VNCConsoleResult {
        try require(uuid)
        guard let port = domains[uuid]?.vncPort, let listen = domains[uuid]?.vncListen else {
            throw ConsoleTypeUnavailable(consoleType: "vnc", reason: "instance \(uuid) has no VNC display yet")
        }
        let host = listen.contains(":") ? "[\(listen)]" : listen
        return VNCConsoleResult(host: listen, port: port, url: "vnc://\(host):\(port)")
    }

    func require(_ uuid: String) throws {
        guard domains[uuid] != nil else { throw ComputeDriverError("qemu driver has no instance \(uuid)") }
    }
}
