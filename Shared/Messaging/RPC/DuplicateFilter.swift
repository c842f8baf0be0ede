import Synchronization

/// Remembers the last `capacity` `_unique_id`s seen, to drop redelivered copies (oslo keeps
/// 16; Cirrus keeps more because it republishes unconfirmed casts).
public final class DuplicateFilter: Sendable {
    /// An id as remembered: the usual 32 lowercase hex digits as their 128 bits (cheaper to
    /// hash and keep than the String), anything else as it came.
    private enum Key: Hashable {
        case hex(UInt64, UInt64)
        case other(String)

        init(_ id: String) {
            var halves: (UInt64, UInt64) = (0, 0)
            var count = 0
            for b in id.utf8 {
                let digit: UInt64
                switch b {
                case 0x30...0x39: digit = UInt64(b - 0x30)
                case 0x61...0x66: digit = UInt64(b - 0x61 + 10)
                default:
                    self = .other(id)
                    return
                }
                if count < 16 { halves.0 = halves.0 << 4 | digit } else { halves.1 = halves.1 << 4 | digit }
                count += 1
                if count > 32 { break }
            }
            self = count == 32 ? .hex(halves.0, halves.1) : .other(id)
        }
    }

    private struct Ring {
        var keys: [Key?]
        var index: [Key: Int] = [:]
        var next = 0
    }

    private let ring: Mutex<Ring>

    public init(capacity: Int = 4096) {
        let capacity = max(capacity, 1)
        var r = Ring(keys: Array(repeating: nil, count: capacity))
        r.index.reserveCapacity(capacity)
        ring = Mutex(r)
    }

    /// Records `id`; true when it was seen before.
    public func seen(_ id: String) -> Bool {
        let key = Key(id)
        return ring.withLock { r in
            if r.index[key] != nil { return true }
            if let old = r.keys[r.next] { r.index[old] = nil }
            r.keys[r.next] = key
            r.index[key] = r.next
            r.next = (r.next + 1) % r.keys.count
            return false
        }
    }
}
