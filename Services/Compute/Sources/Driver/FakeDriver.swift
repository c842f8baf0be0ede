import Logging
import Schemas

/// The `fake` driver (Nova's `fake.FakeDriver`): no processes, just a power state per
/// instance, big configurable capacity, and spawn failures on demand for tests and chaos
/// runs (`[fake_driver] fail_spawn`).
public actor FakeDriver: ComputeDriver {
    /// `[fake_driver]` options.
    public struct Options: Sendable, Equatable {
        public var vcpus = 1000
        public var memoryMB = 8 * 1024 * 1024
        public var localGB = 100_000
        /// Every spawn fails.
        public var failSpawn = false
        /// Spawns of instances with one of these names or uuids fail.
        public var failSpawnFor: Set<String> = []
        public init() {}
    }

    public nonisolated let hypervisorType = "fake"
    public let options: Options
    private var instances: [String: PowerState] = [:]

    public init(options: Options = Options()) {
        self.options = options
    }

    public func restore(_ known: [String: PowerState], logger: Logger) {
        instances.merge(known) { current, _ in current }
    }

    public func spawn(_ request: SpawnRequest, logger: Logger) throws -> PowerState {
        let i = request.instance
        if options.failSpawn || options.failSpawnFor.contains(i.uuid) || options.failSpawnFor.contains(i.name) {
            throw ComputeDriverError("fake driver: spawn of \(i.uuid) (\(i.name)) failed as configured by [fake_driver] fail_spawn")
        }
        instances[i.uuid] = .running
        return .running
    }

    public func destroy(uuid: String, logger: Logger) {
        instances[uuid] = nil
    }

    public func powerOff(uuid: String, logger: Logger) throws {
        try require(uuid)
        instances[uuid] = .shutdown
    }

    public func powerOn(uuid: String, logger: Logger) throws {
        try require(uuid)
        instances[uuid] = .running
    }

    public func reboot(uuid: String, type: RebootType, logger: Logger) throws {
        try require(uuid)
        instances[uuid] = .running
    }

    public func instanceInfo(uuid: String) -> DriverInstanceInfo? {
        instances[uuid].map { DriverInstanceInfo(uuid: uuid, powerState: $0) }
    }

    public func listInstances() -> [String] {
        instances.keys.sorted()
    }

    public func hostResources() -> HostResources {
        HostResources(vcpus: options.vcpus, memoryMB: options.memoryMB, localGB: options.localGB, hypervisorType: hypervisorType)
    }

    /// The fake driver has no consoles.
    public func vncConsole(uuid: String) throws -> VNCConsoleResult {
        try require(uuid)
        throw ConsoleTypeUnavailable(consoleType: "vnc", reason: "the fake compute driver has no VNC server")
    }

    private func require(_ uuid: String) throws {
        guard instances[uuid] != nil else {
            throw ComputeDriverError("fake driver has no instance \(uuid)")
        }
    }
}
