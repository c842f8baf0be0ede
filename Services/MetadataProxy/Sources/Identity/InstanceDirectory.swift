import Schemas
import Synchronization

/// The proxy's in-memory identity index: (network, IP) → instance uuid → revision, plus a
/// bounded set of rendered instances and a short negative cache. The instances themselves live
/// in SQLite (``MetadataStore``), so 10,000 cached instances cost a few hundred bytes each.
///
/// Thread-safe (one mutex); every call is short and never blocks on I/O, so event loops use it
/// directly.
public final class InstanceDirectory: Sendable {
    /// Result of a cache lookup.
    public enum Lookup: Sendable {
        case rendered(RenderedInstance)
        /// Known instance whose documents are not rendered: load it from the store.
        case known(uuid: String)
        /// Recently looked up remotely and unknown.
        case negative
        case unknown
    }

    struct Entry {
        var revision: Int
        var keys: [AddressKey]
    }

    struct State {
        var byAddress: [AddressKey: String] = [:]
        var entries: [String: Entry] = [:]
        var rendered: [String: RenderedInstance] = [:]
        var negative: [AddressKey: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())
    /// How many rendered instances are kept (the rest are re-rendered from SQLite on use).
    public let renderedCapacity: Int

    public init(renderedCapacity: Int = 2048) {
        self.renderedCapacity = max(1, renderedCapacity)
    }

    public func lookup(_ key: AddressKey, now: ContinuousClock.Instant = .now) -> Lookup {
        state.withLock { s in
            if let uuid = s.byAddress[key] {
                if let r = s.rendered[uuid] { return .rendered(r) }
                return .known(uuid: uuid)
            }
            if let until = s.negative[key] {
                if until > now { return .negative }
                s.negative[key] = nil
            }
            return .unknown
        }
    }

    /// The address an instance is known by when only the IP is known (plain listener without a
    /// network): the unique match, else nil.
    public func uniqueKey(ip: String) -> AddressKey? {
        state.withLock { s in
            let matches = s.byAddress.keys.filter { $0.ip == ip }
            return matches.count == 1 ? matches[0] : nil
        }
    }

    /// Records an instance's revision and addresses; false (and nothing changes) when an equal
    /// or newer revision is already known. `force` replaces a same-revision copy (password set).
    @discardableResult
    public func apply(_ i: InstanceMetadata, force: Bool = false) -> Bool {
        let keys = AddressKey.all(of: i)
        return state.withLock { s in
            if let old = s.entries[i.uuid] {
                if old.revision > i.revision || (old.revision == i.revision && !force) { return false }
                for k in old.keys where s.byAddress[k] == i.uuid { s.byAddress[k] = nil }
            }
            for k in keys {
                if let other = s.byAddress[k], other != i.uuid {
                    s.entries[other]?.keys.removeAll { $0 == k }
                    s.rendered[other] = nil
                }
                s.byAddress[k] = i.uuid
                s.negative[k] = nil
            }
            s.entries[i.uuid] = Entry(revision: i.revision, keys: keys)
            s.rendered[i.uuid] = nil
            return true
        }
    }

    /// Restores the index from the store at start (no rendering).
    public func restore(uuid: String, revision: Int, keys: [AddressKey]) {
        state.withLock { s in
            s.entries[uuid] = Entry(revision: revision, keys: keys)
            for k in keys { s.byAddress[k] = uuid }
        }
    }

    /// Keeps a rendered copy, if it is still the current revision.
    public func remember(_ r: RenderedInstance) {
        state.withLock { s in
            guard s.entries[r.uuid]?.revision == r.revision else { return }
            if s.rendered.count >= renderedCapacity {
                for uuid in Array(s.rendered.keys.prefix(max(1, renderedCapacity / 8))) { s.rendered[uuid] = nil }
            }
            s.rendered[r.uuid] = r
        }
    }

    public func remove(_ uuid: String) {
        state.withLock { s in
            guard let e = s.entries.removeValue(forKey: uuid) else { return }
            for k in e.keys where s.byAddress[k] == uuid { s.byAddress[k] = nil }
            s.rendered[uuid] = nil
        }
    }

    public func rememberUnknown(_ key: AddressKey, until: ContinuousClock.Instant) {
        state.withLock { s in
            if s.negative.count > 10_000 { s.negative.removeAll() }
            s.negative[key] = until
        }
    }

    public func revision(of uuid: String) -> Int? { state.withLock { $0.entries[uuid]?.revision } }

    public var uuids: Set<String> { state.withLock { Set($0.entries.keys) } }

    public var count: Int { state.withLock { $0.entries.count } }

    public var renderedCount: Int { state.withLock { $0.rendered.count } }
}
