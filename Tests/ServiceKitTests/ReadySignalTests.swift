import Testing

@testable import ServiceKit

@Suite struct ReadySignalTests {
    @Test func waitersResumeOnSignalAndLaterWaitsReturnAtOnce() async {
        let ready = ReadySignal()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { await ready.wait() } }
            try? await Task.sleep(for: .milliseconds(20))
            ready.signal()
        }
        await ready.wait()
        ready.signal()  // a second signal changes nothing
    }

    @Test func cancellingAWaiterEndsItsWait() async {
        let ready = ReadySignal()
        let waiter = Task { await ready.wait() }
        try? await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await waiter.value  // returns without a signal
        let late = Task { await ready.wait() }
        late.cancel()
        await late.value  // cancelled before it waited
    }
}
