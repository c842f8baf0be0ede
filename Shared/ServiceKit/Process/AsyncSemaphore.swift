/// A counting semaphore for async code: bounds how many builds run `qemu-img` or another
/// program at once. Waiters are resumed in arrival order.
public actor AsyncSemaphore {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(_ count: Int) {
        available = count
    }

    /// Takes a slot, suspending until one is free.
    public func wait() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Returns a slot, handing it to the oldest waiter if any.
    public func signal() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
