import Foundation
import Logging
import Messaging
import Schemas
import ServiceKit
import ServiceLifecycle

/// Builds what one cirrus-compute process serves: one ``ComputeManager`` for the configured
/// host, or, with `[fake_driver] hosts = N`, N fake hosts `<host>-1 ... <host>-N`, each with
/// its own state directory (`<state_path>/<host>-<i>`), SQLite, RPC server on
/// `compute.<host>-<i>`, heartbeats and resource reports, sharing the process's one
/// connection and image download. Every host reconciles before its RPC server starts.
public actor ComputeRuntime {
    /// What the daemon wires in.
    public struct Prepared: Sendable {
        /// Endpoints of the daemon's own RPC server (on the configured host).
        public var endpoints: [RPCEndpoint]
        /// Fake hosts' RPC servers and heartbeats, and the periodic tasks.
        public var services: [any Service]
        public var managers: [ComputeManager]
    }

    private var prepared: Task<Prepared, any Error>?

    public init() {}

    /// Builds (once) and reconciles the hosts.
    public func prepare(_ context: DaemonContext) async throws -> Prepared {
        if let prepared { return try await prepared.value }
        let task = Task { try await Self.build(context) }
        prepared = task
        return try await task.value
    }

    private static func build(_ ctx: DaemonContext) async throws -> Prepared {
        let options = try ComputeOptions(reader: ctx.reader)
        let log = ctx.logger
        let transport = ctx.transport
        let runner = ProcessRunner(maximumConcurrent: options.maxConcurrentProcesses)
        let images = ImageCache(
            downloadDirectory: InstancePaths(statePath: ctx.statePath).baseDirectory,
            source: HTTPImageSource(apiURL: options.apiURL, credentials: options.credentials),
            verifier: ImageVerifier(runner: runner))
        let notificationDriver = try ctx.reader.value("oslo_messaging_notifications.driver", default: "")
        let topics = try ctx.reader.value("oslo_messaging_notifications.topics", default: ["notifications"])
        let conductor = ConductorRPCAPI(transport: transport, versionCap: ctx.versionCap(for: ConductorAPI.topic))
        let control = RPCControlPlane(
            conductor: conductor,
            scheduler: SchedulerRPCAPI(transport: transport, versionCap: ctx.versionCap(for: SchedulerAPI.topic)),
            notifier: Notifier(transport: transport, publisherID: "compute.\(ctx.host)", topics: topics),
            logger: log, syncTimeout: min(10, ctx.configuration.default.rpcResponseTimeout.seconds),
            notificationsEnabled: notificationDriver != "noop" && !notificationDriver.isEmpty)
        let fake = options.fakeHosts > 0
        let names = fake ? (1...options.fakeHosts).map { "\(ctx.host)-\($0)" } : [ctx.host]
        let vifs: (any VIFPlugging)? = options.plugsVIFs
            ? LinuxBridgePlugger(runner: runner, mappings: options.physicalInterfaceMappings) : nil
        var managers: [ComputeManager] = []
        for name in names {
            let statePath = fake ? ctx.statePath + "/" + name : ctx.statePath
            let store = try ComputeStore.open(statePath: statePath)
            let paths = InstancePaths(statePath: statePath)
            var managerOptions = options.manager
            let driver: any ComputeDriver
            if options.driver == "qemu" {
                let qemu = try QemuDriver(options: options.qemu, store: store, paths: paths)
                managerOptions.domainType = qemu.domainType
                driver = qemu
            } else {
                var driverOptions = options.fake
                if options.failSpawnHosts.contains(name) { driverOptions.failSpawn = true }
                driver = FakeDriver(options: driverOptions)
            }
            managers.append(ComputeManager(
                host: name, store: store, driver: driver, images: images,
                overlay: OverlayDisk(runner: runner, templates: options.overlayTemplates), paths: paths, control: control,
                vifs: vifs, options: managerOptions, logger: log))
        }
        log.info("Reconciling compute hosts", metadata: ["hosts": "\(names.count)", "driver": "\(options.driver)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for m in managers { group.addTask { try await m.initHost() } }
            try await group.waitForAll()
        }
        var services: [any Service] = []
        if fake {
            var serverOptions = RPCServer.Options()
            serverOptions.prefetch = UInt16(clamping: max(1, ctx.configuration.osloMessagingRabbit.rabbitQosPrefetchCount))
            for m in managers {
                let serving = ReadySignal()
                services.append(RPCServerService(server: RPCServer(
                    transport: transport, topic: ctx.topic, host: m.host, endpoints: [m.endpoint()], options: serverOptions,
                    logger: log), ready: serving))
                services.append(HeartbeatService(
                    conductor: conductor, binary: ctx.binary, host: m.host, topic: ctx.topic,
                    interval: ctx.configuration.default.reportInterval.seconds, logger: log, startAfter: serving))
            }
        }
        services += periodicTasks(managers, options: options, logger: log)
        let endpoints = fake ? [RPCEndpoint(version: ComputeManager.version)] : [managers[0].endpoint()]
        return Prepared(endpoints: endpoints, services: services, managers: managers)
    }

    private static func periodicTasks(_ managers: [ComputeManager], options: ComputeOptions, logger: Logger) -> [any Service] {
        [
            PeriodicTask(name: "update_available_resource", interval: options.resourceReportInterval, logger: logger) {
                for m in managers { await m.reportResources() }
            },
            PeriodicTask(
                name: "sync_power_states", interval: options.syncPowerStateInterval,
                initialDelay: options.syncPowerStateInterval, logger: logger
            ) {
                for m in managers { await m.syncPowerStates() }
            },
            PeriodicTask(
                name: "image_cache_manager", interval: options.imageCacheManagerInterval,
                initialDelay: options.imageCacheManagerInterval, logger: logger
            ) {
                for m in managers { await m.ageBaseImages() }
            },
        ]
    }
}
