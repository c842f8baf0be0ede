import Foundation
import Logging
import Synchronization

/// Calls waiting for their reply, keyed by `_msg_id`, with their deadlines.
///
/// Replies arrive on the connection thread. A sweeper task sleeps until the earliest deadline
/// (a call's timeout, or its call-monitor heartbeat interval) and fails the calls whose
/// deadline has passed with ``MessagingError/timeout``; it wakes only when one can have passed
/// (not on a fixed tick), and is replaced when a new call is due before its wake-up.
final class ReplyWaiter: Sendable {
    struct Pending {
        var continuation: CheckedContinuation<RPCReply, any Error>
        var deadline: ContinuousClock.Instant
        var monitorDeadline: ContinuousClock.Instant?
        var monitorInterval: Duration?
        var msgID: String
        var topic: String
        var method: String
        var seconds: Double
        var partial: RPCReply?

        /// When the sweeper must look at this call.
        var due: ContinuousClock.Instant { monitorDeadline.map { min($0, deadline) } ?? deadline }
    }

    private struct State {
        var pending: [MessageIDKey: Pending] = [:]
        /// The running sweeper and when it wakes next (nil: none runs).
        var sweeper: Task<Void, Never>?
        var sweepAt: ContinuousClock.Instant?
        /// Bumped for every new sweeper, so a replaced one that woke anyway does nothing.
        var sweeperGeneration: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Waits for the reply to `msgID`; `send` is called once the waiter is registered.
    func wait(
        msgID: String, topic: String, method: String, timeout: Double, monitor: Double?, send: () -> Void
    ) async throws -> RPCReply {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<RPCReply, any Error>) in
            let now = ContinuousClock.now
            let interval = monitor.map { Duration.milliseconds(Int($0 * 1000)) }
            let p = Pending(
                continuation: c, deadline: now + .milliseconds(Int(timeout * 1000)),
                monitorDeadline: interval.map { now + $0 }, monitorInterval: interval, msgID: msgID, topic: topic, method: method,
                seconds: timeout)
            let accepted = state.withLock { s -> Bool in
                guard !s.closed else { return false }
                s.pending[MessageIDKey(msgID)] = p
                if s.sweepAt.map({ p.due < $0 }) ?? true { startSweeper(&s, at: p.due) }
                return true
            }
            guard accepted else {
                c.resume(throwing: MessagingError.shutDown)
                return
            }
            send()
        }
    }

    /// When the sweeper wakes next; nil when none runs (for tests).
    var nextSweep: ContinuousClock.Instant? { state.withLock { $0.sweepAt } }

    /// Hands a reply to its caller (connection thread).
    func deliver(_ body: Data) {
        let reply: RPCReply
        do {
            reply = try RPCReply.decode(body: body)
        } catch {
            logger.warning("Dropped unreadable reply", metadata: ["error": "\(error)"])
            return
        }
        guard let id = reply.msgID else {
            logger.warning("Dropped reply without _msg_id")
            return
        }
        let key = MessageIDKey(id)
        let done = state.withLock { s -> (CheckedContinuation<RPCReply, any Error>, RPCReply)? in
            if reply.ending {
                guard let p = s.pending.removeValue(forKey: key) else { return nil }
                if !reply.hasResult, reply.failure == nil, let partial = p.partial { return (p.continuation, partial) }
                return (p.continuation, reply)
            }
            guard let index = s.pending.index(forKey: key) else { return nil }
            if reply.isHeartbeat {
                if let i = s.pending.values[index].monitorInterval { s.pending.values[index].monitorDeadline = .now + i }
            } else {
                s.pending.values[index].partial = reply  // legacy two-part reply: payload first, ending later
            }
            return nil
        }
        if let (c, r) = done { c.resume(returning: r) }
    }

    /// Fails the call whose request the broker returned unroutable (connection thread); false
    /// when no call waits for `msgID`.
    func undeliverable(msgID: String, exchange: String) -> Bool {
        guard let p = state.withLock({ $0.pending.removeValue(forKey: MessageIDKey(msgID)) }) else { return false }
        p.continuation.resume(throwing: MessagingError.undeliverable(
            topic: p.topic, method: p.method, msgID: p.msgID, exchange: exchange))
        return true
    }

    /// Fails everything still waiting (shutdown).
    func close() {
        let all = state.withLock { s -> [Pending] in
            s.closed = true
            s.sweeper?.cancel()
            s.sweeper = nil
            s.sweepAt = nil
            defer { s.pending = [:] }
            return Array(s.pending.values)
        }
        for p in all { p.continuation.resume(throwing: MessagingError.shutDown) }
    }

    /// Replaces the sweeper with one that first wakes at `wake` (called under the lock).
    private func startSweeper(_ s: inout State, at wake: ContinuousClock.Instant) {
        s.sweeper?.cancel()
        s.sweeperGeneration &+= 1
        s.sweepAt = wake
        let generation = s.sweeperGeneration
        s.sweeper = Task { await self.sweep(from: wake, generation: generation) }
    }

    private func sweep(from first: ContinuousClock.Instant, generation: UInt64) async {
        var wake = first
        while true {
            try? await Task.sleep(until: wake, tolerance: .milliseconds(5), clock: .continuous)
            let now = ContinuousClock.now
            let (expired, next) = state.withLock { s -> ([Pending], ContinuousClock.Instant?) in
                guard s.sweeperGeneration == generation, !s.closed else { return ([], nil) }  // replaced
                var expired: [Pending] = []
                var next: ContinuousClock.Instant?
                for (key, p) in s.pending {
                    if p.deadline <= now || (p.monitorDeadline.map { $0 <= now } ?? false) {
                        expired.append(p)
                        s.pending[key] = nil
                    } else {
                        next = min(next ?? p.due, p.due)
                    }
                }
                s.sweepAt = next
                if next == nil { s.sweeper = nil }
                return (expired, next)
            }
            for p in expired {
                p.continuation.resume(throwing: MessagingError.timeout(topic: p.topic, method: p.method, msgID: p.msgID, seconds: p.seconds))
            }
            guard let next else { return }
            wake = next
        }
    }
}
