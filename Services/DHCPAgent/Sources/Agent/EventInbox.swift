import Synchronization

/// The queue between the RPC handlers (many producers) and the agent's processing loop (one
/// consumer): events accumulate while the loop is busy and are taken all at once, which is
/// what coalesces bursts into one reload per network.
public final class EventInbox: Sendable {
    private let queue = Mutex<[QueuedEvent]>([])
    private let continuation: AsyncStream<Void>.Continuation
    /// Yields (at most one pending element) whenever events were pushed. One consumer only.
    public let wakeups: AsyncStream<Void>

    public init() {
        (wakeups, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func push(_ event: AgentEvent, requestID: String) {
        queue.withLock { $0.append(QueuedEvent(event, requestID: requestID)) }
        continuation.yield()
    }

    /// Takes every queued event, oldest first.
    public func drain() -> [QueuedEvent] {
        queue.withLock { q in
            defer { q.removeAll(keepingCapacity: true) }
            return q
        }
    }

    public var count: Int { queue.withLock { $0.count } }

    /// Ends ``wakeups`` (shutdown).
    public func finish() {
        continuation.finish()
    }
}
