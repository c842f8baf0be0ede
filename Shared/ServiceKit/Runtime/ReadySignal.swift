import Synchronization

/// A one-shot "ready" event between services of one daemon: the RPC server signals it once
/// its consumers are live, and the heartbeat waits for it before its first report (so a
/// daemon that serves `conductor` itself does not time out reporting to its own queue).
public final class ReadySignal: Sendable {
    private struct State {
        var ready = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Marks the event as happened and wakes every waiter (later calls do nothing).
    public func signal() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.ready = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    /// Returns once ``signal()`` has been called.
    public func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.ready { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }
}
