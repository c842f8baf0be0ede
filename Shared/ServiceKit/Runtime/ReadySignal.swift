import Synchronization

/// A one-shot "ready" event between services of one daemon: the RPC server signals it once
/// its consumers are live, and the heartbeat waits for it before its first report (so a
/// daemon that serves `conductor` itself does not time out reporting to its own queue).
public final class ReadySignal: Sendable {
    private struct State {
        var ready = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Marks the event as happened and wakes every waiter (later calls do nothing).
    public func signal() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.ready = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume() }
    }

    /// Returns once ``signal()`` has been called, or as soon as the calling task is cancelled
    /// (a daemon told to stop before its RPC server came up must not hang here).
    public func wait() async {
        let id = state.withLock { s -> Int in
            defer { s.nextID += 1 }
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.ready || Task.isCancelled { return true }
                    s.waiters[id] = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
