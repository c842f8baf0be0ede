import ServiceKit
import Foundation
import Logging
import Messaging
import Schemas
import Synchronization

/// The server side of ``ComputeAPI`` 1.1 for one compute host (Nova's `ComputeManager`).
///
/// Every handler is a durable cast delivered at least once, so each is idempotent per
/// instance uuid: it runs under that uuid's lock and records the new state in the host's
/// SQLite before any side effect. Progress goes to the conductor (`instance_update`, with
/// `server event list` events and faults) and to notification listeners.
public final class ComputeManager: Sendable {
    /// Host-level settings.
    public struct Options: Sendable {
        public var vncListen = "127.0.0.1"
        public var hostIP = "127.0.0.1"
        public var availabilityZone = "nova"
        /// libvirt domain type written into `libvirt.xml`.
        public var domainType = "qemu"
        /// `[compute] max_concurrent_builds`.
        public var maxConcurrentBuilds = 10
        /// `[compute] remove_unused_base_images`.
        public var removeUnusedBaseImages = true
        /// `[compute] remove_unused_original_minimum_age_seconds`.
        public var baseImageMinimumAge: Double = 86400
        /// Instances the API no longer lists are cleaned only once their record is this old
        /// (periodic sync; the startup sync uses 0).
        public var syncGraceSeconds: Double = 300
        public init() {}
    }

    /// The API version this manager implements.
    public static let version = ComputeAPI.version

    public let host: String
    public let store: ComputeStore
    public let driver: any ComputeDriver
    public let images: ImageCache
    public let overlay: OverlayDisk
    public let paths: InstancePaths
    public let control: any ComputeControlPlane
    /// Plugs VIFs into the host network; nil = nothing to plug (fake driver by default), ports
    /// are still reported ACTIVE/DOWN.
    public let vifs: (any VIFPlugging)?
    public let options: Options
    public let logger: Logger
    let clock: @Sendable () -> Date
    let locks = KeyedLocks()
    let buildSlots: AsyncSemaphore
    /// The startup sync with the conductor failed: the periodic task retries it.
    let hostSyncPending = Mutex(false)

    public init(
        host: String, store: ComputeStore, driver: any ComputeDriver, images: ImageCache, overlay: OverlayDisk,
        paths: InstancePaths, control: any ComputeControlPlane, vifs: (any VIFPlugging)? = nil, options: Options = Options(),
        logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.vifs = vifs
        self.host = host
        self.store = store
        self.driver = driver
        self.images = images
        self.overlay = overlay
        self.paths = paths
        self.control = control
        self.options = options
        var l = logger
        l[metadataKey: "compute.host"] = "\(host)"
        self.logger = l
        self.clock = clock
        self.buildSlots = AsyncSemaphore(max(1, options.maxConcurrentBuilds))
    }

    /// The RPC endpoint serving ``ComputeAPI`` 1.1 with this manager.
    public func endpoint() -> RPCEndpoint {
        var e = RPCEndpoint(version: Self.version)
        e.register("build_and_run_instance") { (req: RPCRequest, args: BuildAndRunInstanceArguments) in
            try await self.buildAndRunInstance(args, context: req.context, logger: req.logger)
        }
        e.register("terminate_instance") { (req: RPCRequest, args: InstanceActionArguments) in
            try await self.terminateInstance(args, context: req.context, logger: req.logger)
        }
        e.register("stop_instance") { (req: RPCRequest, args: InstanceActionArguments) in
            try await self.stopInstance(args, context: req.context, logger: req.logger)
        }
        e.register("start_instance") { (req: RPCRequest, args: InstanceActionArguments) in
            try await self.startInstance(args, context: req.context, logger: req.logger)
        }
        e.register("reboot_instance") { (req: RPCRequest, args: RebootInstanceArguments) in
            try await self.rebootInstance(args, context: req.context, logger: req.logger)
        }
        e.register("get_console_output") { (req: RPCRequest, args: ConsoleOutputArguments) in
            try await self.getConsoleOutput(args, logger: req.logger)
        }
        e.register("get_vnc_console") { (req: RPCRequest, args: InstanceActionArguments) in
            try await self.getVNCConsole(args, logger: req.logger)
        }
        return e
    }

    // MARK: - Shared helpers

    func instanceLogger(_ logger: Logger, _ uuid: String) -> Logger {
        var l = logger
        l[metadataKey: "instance.id"] = "\(uuid)"
        l[metadataKey: "compute.host"] = "\(host)"
        return l
    }

    func now() -> Double { clock().timeIntervalSince1970 }

    /// Sends a notification about `record`'s instance.
    func notify(_ event: String, _ record: InstanceRecord, context: RequestContext, priority: NotificationPriority = .info, message: String? = nil) async {
        let payload = InstanceNotificationPayload(
            instance: record.instance, host: host, state: record.vmState, taskState: record.taskState, message: message)
        await control.notify(event, payload: payload, context: context, priority: priority)
    }

    /// Reports a record's current state (for a redelivered or repeated request).
    func reportCurrentState(_ record: InstanceRecord, context: RequestContext) async throws {
        guard record.state != .rescheduled else { return }
        try await control.instanceUpdate(
            InstanceUpdateArguments(
                instanceUUID: record.uuid, host: host, vmState: record.vmState, taskState: record.taskState,
                updatesTaskState: true, powerState: record.powerState, launchedAt: record.launchedAt?.timeIntervalSince1970),
            context: context)
    }

    /// Removes `<instances>/<uuid>` and everything in it; no error when it is already gone.
    func removeInstanceDirectory(_ uuid: String, logger: Logger) {
        let dir = paths.directory(uuid: uuid)
        guard FileManager.default.fileExists(atPath: dir) else { return }
        do {
            try FileManager.default.removeItem(atPath: dir)
        } catch {
            logger.warning("Cannot remove instance directory", metadata: ["path": "\(dir)", "error": "\(error)"])
        }
    }
}
