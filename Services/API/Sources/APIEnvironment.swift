import Foundation
import Logging
import Storage

/// Everything the REST handlers and the conductor share: configuration, database, tokens,
/// the RPC clients (behind protocols, so tests stand them in) and the clock.
public struct APIEnvironment: Sendable {
    public var configuration: APIConfiguration
    public var database: ServiceDatabase
    public var tokens: TokenStore
    public var scheduler: any SchedulerClient
    public var compute: any ComputeClient
    public var images: ImageFileStore
    public var keys: any KeyGenerating
    public var logger: Logger
    public var now: @Sendable () -> Date
    /// Background boot work (scheduling and the build cast).
    public var boot: BootQueue
    /// Networking notifications to DHCP agents and metadata proxies, sent after commit.
    public var notifier: NetworkNotifier

    public init(
        configuration: APIConfiguration, database: ServiceDatabase, scheduler: any SchedulerClient,
        compute: any ComputeClient, keys: any KeyGenerating = SSHKeyGenerator(), logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, inlineBoot: Bool = false,
        dhcp: any DHCPAgentNotifying = SilentNotifier(), metadata: any MetadataNotifying = SilentNotifier()
    ) {
        self.configuration = configuration
        self.database = database
        self.tokens = TokenStore(database: database, ttl: configuration.tokenTTL, now: now)
        self.scheduler = scheduler
        self.compute = compute
        self.images = ImageFileStore(directory: configuration.statePath + "/images")
        self.keys = keys
        self.logger = logger
        self.now = now
        let notifier = NetworkNotifier(database: database, dhcp: dhcp, metadata: metadata, logger: logger, inline: inlineBoot)
        self.notifier = notifier
        self.boot = BootQueue(
            orchestrator: BootOrchestrator(
                database: database, scheduler: scheduler, compute: compute, maxAttempts: configuration.maxAttempts,
                logger: logger, now: now, notifier: notifier),
            inline: inlineBoot)
    }

    /// The conductor endpoint's manager over the same records and clients.
    public var conductor: ConductorManager {
        ConductorManager(environment: self)
    }
}
