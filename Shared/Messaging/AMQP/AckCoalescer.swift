/// Turns the acks of one channel's manual-ack deliveries into as few `basic.ack` frames as
/// possible: acks are recorded as handlers finish and flushed once per turn of the connection
/// loop; a run of settled deliveries at the front of the outstanding ones goes out as one
/// `basic.ack(tag, multiple: true)`, acks behind a still-running handler go out one by one.
/// A `multiple` ack never covers a delivery whose handler has not finished. Pure.
struct AckCoalescer {
    /// One `basic.ack` to send.
    struct Ack: Equatable {
        var tag: UInt64
        var multiple: Bool
    }

    /// Manual-ack deliveries not yet acked or rejected, in delivery (tag) order.
    private var outstanding: [UInt64] = []
    private var settled: Set<UInt64> = []

    var hasPending: Bool { !settled.isEmpty }

    /// A manual-ack delivery arrived (tags grow on a channel).
    mutating func delivered(_ tag: UInt64) {
        outstanding.append(tag)
    }

    /// Its handler finished: the delivery may be acked.
    mutating func acked(_ tag: UInt64) {
        settled.insert(tag)
    }

    /// The delivery was rejected (sent at once): it is no longer outstanding.
    mutating func rejected(_ tag: UInt64) {
        if let i = outstanding.firstIndex(of: tag) { outstanding.remove(at: i) }
        settled.remove(tag)
    }

    /// The acks to send now; afterwards nothing is pending.
    mutating func flush() -> [Ack] {
        guard !settled.isEmpty else { return [] }
        var out: [Ack] = []
        var prefix = 0
        while prefix < outstanding.count, settled.contains(outstanding[prefix]) { prefix += 1 }
        if prefix > 0 {
            let last = outstanding[prefix - 1]
            out.append(Ack(tag: last, multiple: prefix > 1))
            for tag in outstanding[..<prefix] { settled.remove(tag) }
            outstanding.removeFirst(prefix)
        }
        if !settled.isEmpty {
            for tag in settled.sorted() { out.append(Ack(tag: tag, multiple: false)) }
            outstanding.removeAll { settled.contains($0) }
            settled.removeAll(keepingCapacity: true)
        }
        return out
    }

    /// A new channel: delivery tags start again.
    mutating func reset() {
        outstanding.removeAll()
        settled.removeAll()
    }
}
