import Logging
import ServiceLifecycle

/// Runs `work` every `interval` seconds (first run after `initialDelay`) until graceful
/// shutdown: Nova's periodic tasks as a `Service`.
public struct PeriodicTask: Service {
    public let name: String
    public let interval: Double
    public let initialDelay: Double
    public let logger: Logger
    public let work: @Sendable () async -> Void

    public init(name: String, interval: Double, initialDelay: Double = 0, logger: Logger, work: @escaping @Sendable () async -> Void) {
        self.name = name
        self.interval = interval
        self.initialDelay = initialDelay
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        guard interval > 0 else {
            // Disabled: stay until shutdown (a service returning early would stop the group).
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown {
            if initialDelay > 0 { try await Task.sleep(for: .milliseconds(Int(initialDelay * 1000))) }
            while !Task.isCancelled {
                logger.debug("Running periodic task", metadata: ["task": "\(name)"])
                await work()
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            }
        }
    }
}
