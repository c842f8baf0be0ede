import Foundation
import Logging
import Synchronization

/// Calls waiting for their reply, keyed by `_msg_id`, with their deadlines.
///
/// Replies arrive on the connection thread; a sweeper task fails calls whose timeout (or
/// call-monitor heartbeat interval) has passed with ``MessagingError/timeout``.
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
    }

    private struct State {
        var pending: [MessageIDKey: Pending] = [:]
        var sweeping = false
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
            let (accepted, startSweeper) = state.withLock { s -> (Bool, Bool) in
                guard !s.closed else { return (false, false) }
                s.pending[MessageIDKey(msgID)] = p
                let start = !s.sweeping
                s.sweeping = true
                return (true, start)
            }
            guard accepted else {
                c.resume(throwing: MessagingError.shutDown)
                return
            }
            if startSweeper { Task { await self.sweep() } }
            send()
        }
    }

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
            defer { s.pending = [:] }
            return Array(s.pending.values)
        }
        for p in all { p.continuation.resume(throwing: MessagingError.shutDown) }
    }

    private func sweep() async {
        while true {
            try? await Task.sleep(for: .milliseconds(20))
            let now = ContinuousClock.now
            let (expired, keepGoing) = state.withLock { s -> ([(MessageIDKey, Pending)], Bool) in
                let gone = s.pending.filter { _, p in
                    p.deadline <= now || (p.monitorDeadline.map { $0 <= now } ?? false)
                }
                for (k, _) in gone { s.pending[k] = nil }
                if s.pending.isEmpty { s.sweeping = false }
                return (Array(gone), !s.pending.isEmpty)
            }
            for (_, p) in expired {
                p.continuation.resume(throwing: MessagingError.timeout(topic: p.topic, method: p.method, msgID: p.msgID, seconds: p.seconds))
            }
            if !keepGoing { return }
        }
    }
}
