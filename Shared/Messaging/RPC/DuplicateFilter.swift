import Synchronization

/// Remembers the last `capacity` `_unique_id`s seen, to drop redelivered copies (oslo keeps
/// 16; Cirrus keeps more because it republishes unconfirmed casts).
public final class DuplicateFilter: Sendable {
    private struct Ring {
        var keys: [MessageIDKey?]
        var index: [MessageIDKey: Int] = [:]
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
        let key = MessageIDKey(id)
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
