import Logging
import Messaging
import ServiceLifecycle

/// Runs the agent's processing loop until graceful shutdown.
public struct DHCPAgentLoop: Service {
    public let agent: DHCPAgent

    public init(agent: DHCPAgent) {
        self.agent = agent
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await agent.run() }
        agent.inbox.finish()
    }
}

/// Runs `action` every `interval` seconds (first after `interval`) until graceful shutdown:
/// the periodic resync (queues a full sync) and the process monitor. `interval <= 0` disables it.
public struct AgentTicker: Service {
    public let interval: Double
    public let action: @Sendable () async -> Void

    public init(interval: Double, action: @escaping @Sendable () async -> Void) {
        self.interval = interval
        self.action = action
    }

    /// Queues `event` for the agent's loop every `interval` seconds.
    public init(inbox: EventInbox, event: AgentEvent, interval: Double) {
        self.init(interval: interval) { inbox.push(event, requestID: RequestContext.newRequestID()) }
    }

    public func run() async throws {
        guard interval > 0 else {
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                await action()
            }
        }
    }
}
