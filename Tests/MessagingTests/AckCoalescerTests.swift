@testable import Messaging
import Testing

@Suite("Ack coalescing")
struct AckCoalescerTests {
    @Test("a settled run at the front goes out as one multiple ack")
    func contiguousRunIsOneFrame() {
        var c = AckCoalescer()
        for tag in 1...5 { c.delivered(UInt64(tag)) }
        for tag in [3, 1, 2] { c.acked(UInt64(tag)) }
        #expect(c.flush() == [.init(tag: 3, multiple: true)])
        #expect(!c.hasPending)
        c.acked(4)
        #expect(c.flush() == [.init(tag: 4, multiple: false)])
    }

    @Test("a multiple ack never covers a delivery still being handled")
    func slowHandlerIsNotCovered() {
        var c = AckCoalescer()
        for tag in 1...4 { c.delivered(UInt64(tag)) }
        c.acked(2)
        c.acked(4)
        // 1 and 3 still run: 2 and 4 go out singly.
        #expect(c.flush() == [.init(tag: 2, multiple: false), .init(tag: 4, multiple: false)])
        c.acked(1)
        c.acked(3)
        // 2 and 4 are settled already, so one multiple ack up to 3 covers exactly 1 and 3.
        #expect(c.flush() == [.init(tag: 3, multiple: true)])
        #expect(c.flush() == [])
    }

    @Test("rejected deliveries leave the run; reset forgets the old channel")
    func rejectAndReset() {
        var c = AckCoalescer()
        for tag in 1...3 { c.delivered(UInt64(tag)) }
        c.rejected(2)
        c.acked(1)
        c.acked(3)
        #expect(c.flush() == [.init(tag: 3, multiple: true)])
        c.delivered(4)
        c.acked(4)
        c.reset()
        #expect(!c.hasPending)
        #expect(c.flush() == [])
    }
}
