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

/// Queues `event` every `interval` seconds (first after `interval`) until graceful shutdown:
/// the periodic resync and the process monitor. `interval <= 0` disables it.
public struct AgentTicker: Service {
    public let inbox: EventInbox
    public let event: AgentEvent
    public let interval: Double

    public init(inbox: EventInbox, event: AgentEvent, interval: Double) {
        self.inbox = inbox
        self.event = event
        self.interval = interval
    }

    public func run() async throws {
        guard interval > 0 else {
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                inbox.push(event, requestID: RequestContext.newRequestID())
            }
        }
    }
}
