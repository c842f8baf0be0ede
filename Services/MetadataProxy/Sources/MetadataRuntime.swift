import Logging
import Messaging
import Schemas
import ServiceKit
import ServiceLifecycle

/// Builds one cirrus-metadata-proxy: options, SQLite cache, resolver over conductor RPC, the
/// HTTP server, the `metadata` endpoint and the refill task.
public actor MetadataRuntime {
    public struct Prepared: Sendable {
        public var endpoints: [RPCEndpoint]
        public var services: [any Service]
        public var service: MetadataService
    }

    private var prepared: Task<Prepared, any Error>?

    public init() {}

    public func prepare(_ ctx: DaemonContext) async throws -> Prepared {
        if let prepared { return try await prepared.value }
        let task = Task { try await Self.build(ctx) }
        prepared = task
        return try await task.value
    }

    static func build(_ ctx: DaemonContext) async throws -> Prepared {
        let options = try MetadataOptions(reader: ctx.reader)
        let conductor = ConductorRPCAPI(transport: ctx.transport, versionCap: ctx.versionCap(for: ConductorAPI.topic))
        let source = ConductorInstanceSource(conductor: conductor, timeout: options.conductorTimeout)
        let service = try await make(options: options, store: try MetadataStore.open(statePath: ctx.statePath), source: source, logger: ctx.logger)
        let server = MetadataHTTPServer(service: service, threads: options.workers)
        return Prepared(
            endpoints: [MetadataManager(resolver: service.resolver).endpoint()],
            services: [
                MetadataHTTPService(server: server, options: options, logger: ctx.logger),
                CacheRefill(resolver: service.resolver, interval: options.refillInterval, logger: ctx.logger),
                MemoryTrim(interval: options.memoryTrimInterval),
            ],
            service: service)
    }

    /// The request logic over a store and a source, the cache index restored from the store.
    public static func make(options: MetadataOptions, store: MetadataStore, source: any InstanceSource, logger: Logger) async throws
        -> MetadataService
    {
        let resolver = InstanceResolver(
            directory: InstanceDirectory(renderedCapacity: options.renderedCacheSize), store: store, source: source,
            treeOptions: options.tree, negativeTTL: .milliseconds(Int(options.negativeCacheSeconds * 1000)), logger: logger)
        try await resolver.restore()
        return MetadataService(
            resolver: resolver, tokens: TokenIssuer(), limiter: RateLimiter(rate: options.rateLimit, burst: options.rateLimitBurst),
            options: options, logger: logger)
    }
}
