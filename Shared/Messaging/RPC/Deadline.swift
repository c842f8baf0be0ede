import Synchronization

/// Waits for `operation` at most `seconds` (nil: no time bound), and no longer than the
/// calling task stays uncancelled: then `onTimeout()` (or `CancellationError`) is thrown and
/// the operation is left to finish on its own in the background. For waits that cannot be
/// cancelled themselves, such as a declaration queued until the broker is back.
func withDeadline<T: Sendable>(
    seconds: Double?, onTimeout: @escaping @Sendable () -> any Error = { CancellationError() },
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let waiter = Mutex<CheckedContinuation<T, any Error>?>(nil)
    let finish: @Sendable (Result<T, any Error>) -> Void = { result in
        waiter.withLock { w in
            defer { w = nil }
            return w
        }?.resume(with: result)
    }
    var timer: Task<Void, Never>?
    defer { timer?.cancel() }  // the operation, not the timer, goes on after a timeout
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            waiter.withLock { $0 = c }
            Task {
                do { finish(.success(try await operation())) } catch { finish(.failure(error)) }
            }
            if let seconds {
                timer = Task {
                    try? await Task.sleep(for: .milliseconds(Int(max(seconds, 0) * 1000)))
                    if !Task.isCancelled { finish(.failure(onTimeout())) }
                }
            }
            if Task.isCancelled { finish(.failure(CancellationError())) }
        }
    } onCancel: {
        finish(.failure(CancellationError()))
    }
}
