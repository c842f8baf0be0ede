import Logging
import ServiceLifecycle

/// Refills the cache from the conductor at start (in the background: the SQLite copy is served
/// meanwhile) and every `[metadata] refill_interval`, repairing missed fanout casts. Failures
/// (cirrus-api down) are logged and retried sooner.
public struct CacheRefill: Service {
    let resolver: InstanceResolver
    let interval: Double
    let logger: Logger

    public init(resolver: InstanceResolver, interval: Double, logger: Logger) {
        self.resolver = resolver
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var wait = interval
                do {
                    try await resolver.refill()
                    _ = releaseFreeMemory(0)  // the decoded pages are garbage now: give the memory back
                } catch {
                    logger.warning("Cannot refill the instance cache; serving cached instances", metadata: ["error": "\(error)"])
                    wait = min(interval, 10)
                }
                try? await Task.sleep(for: .milliseconds(Int(max(0.1, wait) * 1000)))
            }
        }
    }
}

/// glibc's `malloc_trim` (not exported by the Glibc module).
@_silgen_name("malloc_trim") func releaseFreeMemory(_ pad: Int) -> Int32
