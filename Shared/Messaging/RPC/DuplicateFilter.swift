import Synchronization

/// Remembers the last `capacity` `_unique_id`s seen, to drop redelivered copies (oslo keeps
/// 16; Cirrus keeps more because it republishes unconfirmed casts).
public final class DuplicateFilter: Sendable {
    private struct Ring {
        var ids: [String?]
        var index: [String: Int] = [:]
        var next = 0
    }

    private let ring: Mutex<Ring>

    public init(capacity: Int = 4096) {
        ring = Mutex(Ring(ids: Array(repeating: nil, count: max(capacity, 1))))
    }

    /// Records `id`; true when it was seen before.
    public func seen(_ id: String) -> Bool {
        ring.withLock { r in
            if r.index[id] != nil { return true }
            if let old = r.ids[r.next] { r.index[old] = nil }
            r.ids[r.next] = id
            r.index[id] = r.next
            r.next = (r.next + 1) % r.ids.count
            return false
        }
    }
}
