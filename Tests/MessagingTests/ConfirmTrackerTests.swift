import Testing

@testable import Messaging

@Suite struct ConfirmTrackerTests {
    @Test func sequenceNumbersStartAtOneAndCountEveryPublish() {
        var tracker = ConfirmTracker()
        let log = CompletionLog()
        #expect(tracker.nextSequence == 1)
        #expect(tracker.published(log.completion(1)) == 1)
        #expect(tracker.published(nil) == 2)
        #expect(tracker.published(log.completion(3)) == 3)
        #expect(tracker.nextSequence == 4)
        #expect(tracker.outstanding == 2)
    }

    @Test func singleAckSettlesOnlyThatPublish() {
        var tracker = ConfirmTracker()
        let log = CompletionLog()
        for i in 1...3 { _ = tracker.published(log.completion(i)) }
        #expect(run(tracker.settle(tag: 2, multiple: false), on: log) == [2])
        #expect(tracker.outstanding == 2)
        #expect(run(tracker.settle(tag: 2, multiple: false), on: log) == [], "already settled")
        #expect(run(tracker.settle(tag: 1, multiple: false), on: log) == [1])
        #expect(run(tracker.settle(tag: 3, multiple: false), on: log) == [3])
        #expect(tracker.outstanding == 0)
    }

    @Test func multipleAckSettlesEverythingUpToTheTagInOrder() {
        var tracker = ConfirmTracker()
        let log = CompletionLog()
        for i in 1...5 { _ = tracker.published(log.completion(i)) }
        #expect(run(tracker.settle(tag: 3, multiple: true), on: log) == [1, 2, 3])
        #expect(tracker.outstanding == 2)
        #expect(run(tracker.settle(tag: 3, multiple: true), on: log) == [])
        #expect(run(tracker.settle(tag: 5, multiple: true), on: log) == [4, 5])
        #expect(tracker.outstanding == 0)
    }

    @Test func nackSettlesTheSameWayAndSkipsWhatWasAlreadySettled() {
        // basic.nack carries the same (tag, multiple) as basic.ack; the caller fails what comes back.
        var tracker = ConfirmTracker()
        let log = CompletionLog()
        for i in 1...4 { _ = tracker.published(log.completion(i)) }
        #expect(run(tracker.settle(tag: 2, multiple: false), on: log) == [2])
        #expect(run(tracker.settle(tag: 4, multiple: true), on: log) == [1, 3, 4])
        #expect(tracker.outstanding == 0)
    }

    @Test func publishesWithoutCompletionNeverComeBack() {
        var tracker = ConfirmTracker()
        let log = CompletionLog()
        _ = tracker.published(nil)
        _ = tracker.published(log.completion(2))
        _ = tracker.published(nil)
        #expect(tracker.outstanding == 1)
        #expect(run(tracker.settle(tag: 1, multiple: false), on: log) == [])
        #expect(run(tracker.settle(tag: 3, multiple: false), on: log) == [])
        #expect(run(tracker.settle(tag: 3, multiple: true), on: log) == [2])
        #expect(tracker.outstanding == 0)
    }

    @Test func unknownTagsSettleNothing() {
        var tracker = ConfirmTracker()
        let log = CompletionLog()
        #expect(run(tracker.settle(tag: 7, multiple: false), on: log) == [])
        #expect(run(tracker.settle(tag: 7, multiple: true), on: log) == [])
        _ = tracker.published(log.completion(1))
        #expect(run(tracker.settle(tag: 9, multiple: false), on: log) == [])
        #expect(run(tracker.settle(tag: 0, multiple: true), on: log) == [])
        #expect(tracker.outstanding == 1)
    }

    @Test func resetReturnsWhatIsOutstandingAndRestartsNumbering() {
        var tracker = ConfirmTracker()
        let log = CompletionLog()
        for i in 1...4 { _ = tracker.published(log.completion(i)) }
        _ = tracker.published(nil)
        _ = tracker.settle(tag: 1, multiple: true)
        _ = tracker.settle(tag: 3, multiple: false)
        #expect(run(tracker.reset(), on: log) == [2, 4])
        #expect(tracker.outstanding == 0)
        #expect(tracker.nextSequence == 1)
        #expect(tracker.published(log.completion(10)) == 1)
        #expect(run(tracker.reset(), on: log) == [10])
        #expect(run(tracker.reset(), on: log) == [])
    }

    @Test func longRunsStayCorrectAcrossCompaction() {
        var tracker = ConfirmTracker()
        let log = CompletionLog()
        for i in 1...3000 { _ = tracker.published(log.completion(i)) }
        #expect(run(tracker.settle(tag: 1500, multiple: true), on: log) == Array(1...1500))
        #expect(run(tracker.settle(tag: 2000, multiple: false), on: log) == [2000])
        #expect(tracker.outstanding == 1499)
        #expect(run(tracker.settle(tag: 1700, multiple: false), on: log) == [1700])
        var rest = Array(1501...3000)
        rest.removeAll { $0 == 2000 || $0 == 1700 }
        #expect(run(tracker.settle(tag: 3000, multiple: true), on: log) == rest)
        #expect(tracker.outstanding == 0)
        #expect(tracker.published(log.completion(3001)) == 3001)
        #expect(run(tracker.settle(tag: 3001, multiple: false), on: log) == [3001])
    }
}
