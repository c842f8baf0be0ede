import Foundation
import Synchronization
import Testing

@testable import Messaging

/// `ReplyWaiter` matches replies to waiting calls by `_msg_id`; replies are handed in
/// directly, as the reply-queue consumer would.
@Suite(.timeLimit(.minutes(1))) struct ReplyWaiterTests {
    static func reply(_ msgID: String, result: String? = nil, failure: String? = nil, ending: Bool = true) -> Data {
        RPCReply.encode(msgID: msgID, resultJSON: result, failureJSON: failure, ending: ending)
    }

    @Test func replyIsHandedToItsCaller() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        let reply = try await waiter.wait(msgID: "m1", topic: "compute", method: "m", timeout: 10, monitor: nil) {
            waiter.deliver(Self.reply("other", result: "0"))
            waiter.deliver(Self.reply("m1", result: "42"))
        }
        #expect(reply.msgID == "m1")
        #expect(try reply.result(Int.self) == 42)
    }

    @Test func failureReplyIsReturnedForTheClientToRaise() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        let failure = RemoteError(className: "NoValidHost", module: "nova.exception", message: "none").failureJSON
        let reply = try await waiter.wait(msgID: "m1", topic: "t", method: "m", timeout: 10, monitor: nil) {
            waiter.deliver(Self.reply("m1", failure: failure))
        }
        #expect(reply.failure == failure)
    }

    @Test func heartbeatsDoNotEndTheCall() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        let reply = try await waiter.wait(msgID: "m1", topic: "t", method: "m", timeout: 10, monitor: 5) {
            waiter.deliver(Self.reply("m1", ending: false))
            waiter.deliver(Self.reply("m1", ending: false))
            waiter.deliver(Self.reply("m1", result: #""done""#))
        }
        #expect(try reply.result(String.self) == "done")
    }

    @Test func legacyTwoMessageReplyReturnsThePayload() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        let reply = try await waiter.wait(msgID: "m1", topic: "t", method: "m", timeout: 10, monitor: nil) {
            waiter.deliver(pythonEnvelope(#"{"result": {"a": 1}, "failure": null, "_msg_id": "m1"}"#))
            waiter.deliver(pythonEnvelope(#"{"result": null, "failure": null, "ending": true, "_msg_id": "m1"}"#))
        }
        #expect(try reply.result(JSONValue.self) == ["a": 1])
    }

    @Test func unreadableRepliesAreIgnored() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        let reply = try await waiter.wait(msgID: "m1", topic: "t", method: "m", timeout: 10, monitor: nil) {
            waiter.deliver(Data("garbage".utf8))
            waiter.deliver(pythonEnvelope(#"{"result": 1, "ending": true}"#))  // no _msg_id
            waiter.deliver(Self.reply("m1", result: "7"))
        }
        #expect(try reply.result(Int.self) == 7)
    }

    @Test func noReplyTimesOut() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        let start = ContinuousClock.now
        await #expect(throws: MessagingError.timeout(topic: "compute.h1", method: "build", msgID: "m1", seconds: 0.1)) {
            _ = try await waiter.wait(msgID: "m1", topic: "compute.h1", method: "build", timeout: 0.1, monitor: nil) {}
        }
        #expect(ContinuousClock.now - start >= .milliseconds(100))
    }

    @Test func aShortCallTimesOutWhileALongOneWaits() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        let long = Task {
            try await waiter.wait(msgID: "long", topic: "t", method: "slow", timeout: 30, monitor: nil) {}
        }
        while waiter.nextSweep == nil { try await Task.sleep(for: .milliseconds(5)) }  // the long call waits
        let start = ContinuousClock.now
        await #expect(throws: MessagingError.timeout(topic: "t", method: "quick", msgID: "short", seconds: 0.2)) {
            _ = try await waiter.wait(msgID: "short", topic: "t", method: "quick", timeout: 0.2, monitor: nil) {}
        }
        // The sweeper due in 30 s was replaced by one due at the short call's deadline.
        #expect(ContinuousClock.now - start < .seconds(10))
        // Only the long call is left, and the sweeper now waits for its deadline.
        let next = try #require(waiter.nextSweep)
        #expect(next - ContinuousClock.now > .seconds(20))
        waiter.deliver(Self.reply("long", result: "1"))
        #expect(try await long.value.result(Int.self) == 1)
    }

    @Test func theSweeperWakesAtTheDeadlineNotOnATick() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        #expect(waiter.nextSweep == nil, "no call, no sweeper")
        let before = ContinuousClock.now
        let reply = try await waiter.wait(msgID: "m1", topic: "t", method: "m", timeout: 60, monitor: nil) {
            waiter.deliver(Self.reply("m1", result: "1"))
        }
        #expect(try reply.result(Int.self) == 1)
        // Answered calls leave the sweeper sleeping until the first deadline (once, then it
        // finds nothing and ends), instead of waking every few milliseconds meanwhile.
        let next = try #require(waiter.nextSweep)
        #expect(next - before >= .seconds(59))
        // A later call with the same timeout is due after that wake-up: no new sweeper.
        _ = try await waiter.wait(msgID: "m2", topic: "t", method: "m", timeout: 60, monitor: nil) {
            waiter.deliver(Self.reply("m2", result: "2"))
        }
        #expect(waiter.nextSweep == next)
        waiter.close()
        #expect(waiter.nextSweep == nil)
    }

    @Test func missingHeartbeatsEndTheCallBeforeTheOverallTimeout() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        let start = ContinuousClock.now
        await #expect(throws: MessagingError.self) {
            _ = try await waiter.wait(msgID: "m1", topic: "t", method: "m", timeout: 30, monitor: 0.1) {}
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func heartbeatsKeepAMonitoredCallAlive() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        let beats = Task {
            for _ in 0..<60 {
                try await Task.sleep(for: .milliseconds(75))
                waiter.deliver(Self.reply("m1", ending: false))
            }
            waiter.deliver(Self.reply("m1", result: "1"))
        }
        defer { beats.cancel() }
        // 4.5 s of work against a 2 s call-monitor interval: only the heartbeats keep it going
        // (2 s leaves room for a heavily loaded CI machine delaying a beat).
        let reply = try await waiter.wait(msgID: "m1", topic: "t", method: "m", timeout: 30, monitor: 2) {}
        #expect(try reply.result(Int.self) == 1)
    }

    @Test func closeFailsWaitingCallsAndLaterOnes() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        await #expect(throws: MessagingError.shutDown) {
            _ = try await waiter.wait(msgID: "m1", topic: "t", method: "m", timeout: 30, monitor: nil) {
                waiter.close()
            }
        }
        let sent = Mutex(false)
        await #expect(throws: MessagingError.shutDown) {
            _ = try await waiter.wait(msgID: "m2", topic: "t", method: "m", timeout: 30, monitor: nil) {
                sent.withLock { $0 = true }
            }
        }
        #expect(!sent.withLock { $0 }, "nothing is sent once the waiter is closed")
    }

    @Test func concurrentCallsGetTheirOwnReplies() async throws {
        let waiter = ReplyWaiter(logger: silentLogger)
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for i in 0..<50 {
                group.addTask {
                    let reply = try await waiter.wait(msgID: "m\(i)", topic: "t", method: "m", timeout: 10, monitor: nil) {
                        let body = Self.reply("m\(i)", result: "\(i * 10)")
                        Thread.detachNewThread { waiter.deliver(body) }
                    }
                    return (i, try reply.result(Int.self))
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 50)
        #expect(results.allSatisfy { $0.value == $0.key * 10 })
    }
}
