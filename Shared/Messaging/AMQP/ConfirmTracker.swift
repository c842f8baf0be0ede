/// Publisher-confirm bookkeeping: sequence numbers of confirmed publishes awaiting the
/// broker's basic.ack/nack, in publish order. Pure state, no I/O.
struct ConfirmTracker {
    typealias Completion = AMQPCommand.Completion

    private(set) var nextSequence: UInt64 = 1
    private var pending: [(UInt64, Completion)] = []
    private var head = 0

    var outstanding: Int { pending.count - head }

    /// Numbers a publish; returns its sequence number.
    mutating func published(_ completion: Completion?) -> UInt64 {
        let seq = nextSequence
        nextSequence += 1
        if let completion { pending.append((seq, completion)) }
        return seq
    }

    /// Settles publishes for a broker ack/nack; returns the completions to call.
    mutating func settle(tag: UInt64, multiple: Bool) -> [Completion] {
        var done: [Completion] = []
        if multiple {
            while head < pending.count, pending[head].0 <= tag {
                done.append(pending[head].1)
                head += 1
            }
        } else if let i = pending[head...].firstIndex(where: { $0.0 == tag }) {
            done.append(pending[i].1)
            pending.remove(at: i)
        }
        compact()
        return done
    }

    /// Everything outstanding, for failing after a lost connection; starts numbering anew.
    mutating func reset() -> [Completion] {
        let all = pending[head...].map(\.1)
        pending = []
        head = 0
        nextSequence = 1
        return all
    }

    private mutating func compact() {
        if head > 1024, head * 2 > pending.count {
            pending.removeFirst(head)
            head = 0
        }
    }
}
