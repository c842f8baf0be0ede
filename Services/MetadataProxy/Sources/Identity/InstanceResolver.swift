import Logging
import Schemas
import Synchronization

/// Finds the instance behind a request: the in-memory directory first, then the SQLite copy,
/// then the conductor (result stored, misses remembered briefly). Applies the `metadata`
/// fanout updates and the periodic refill.
public final class InstanceResolver: Sendable {
    public enum Outcome: Sendable {
        case found(RenderedInstance)
        case unknown
        /// The conductor could not be asked and nothing is cached.
        case unavailable
    }

    public let directory: InstanceDirectory
    public let store: MetadataStore
    public let source: any InstanceSource
    public let treeOptions: MetadataTreeOptions
    public let negativeTTL: Duration
    /// What stored renderings must have been made with.
    let fingerprint: String
    let logger: Logger
    /// Loads in progress, so the ~28 requests of one boot that arrive together render once.
    private let loading = Mutex([String: Task<Outcome, Never>]())

    public init(
        directory: InstanceDirectory, store: MetadataStore, source: any InstanceSource, treeOptions: MetadataTreeOptions,
        negativeTTL: Duration = .seconds(2), logger: Logger
    ) {
        self.directory = directory
        self.store = store
        self.source = source
        self.treeOptions = treeOptions
        self.negativeTTL = negativeTTL
        self.fingerprint = RenderedInstance.fingerprint(treeOptions)
        self.logger = logger
    }

    /// Loads the index of every stored instance (call once at start).
    public func restore() async throws {
        for (uuid, revision, keys) in try await store.index() {
            directory.restore(uuid: uuid, revision: revision, keys: keys)
        }
        logger.info("Instance cache loaded", metadata: ["instances": "\(directory.count)"])
    }

    /// The cached answer without waiting: nil means "ask the conductor" (``resolveRemote``).
    public func resolveCached(_ key: AddressKey) -> Outcome? {
        switch directory.lookup(key) {
        case .rendered(let r): return .found(r)
        case .negative: return .unknown
        case .unknown: return nil
        case .known(let uuid):
            do {
                guard let i = try store.load(uuid) else { return nil }
                let r = render(i)
                directory.remember(r)
                return .found(r)
            } catch {
                logger.error("Cannot read a cached instance", metadata: ["instance.id": "\(uuid)", "error": "\(error)"])
                return nil
            }
        }
    }

    /// What the in-memory cache alone says, without touching SQLite or the network.
    public enum CacheAnswer: Sendable {
        case hit(Outcome)
        /// Known but not rendered: ``loadKnown(_:key:)`` (a SQLite read and a render, kept off
        /// the event loops so one cold instance does not delay every connection of the loop).
        case load(uuid: String)
        case miss
    }

    public func cached(_ key: AddressKey) -> CacheAnswer {
        switch directory.lookup(key) {
        case .rendered(let r): .hit(.found(r))
        case .negative: .hit(.unknown)
        case .unknown: .miss
        case .known(let uuid): .load(uuid: uuid)
        }
    }

    /// Reads and renders a known instance (once for concurrent callers); asks the conductor
    /// when the row is gone.
    public func loadKnown(_ uuid: String, key: AddressKey) async -> Outcome {
        let task = loading.withLock { m in
            if let t = m[uuid] { return t }
            let t = Task { await self.readAndRender(uuid, key: key) }
            m[uuid] = t
            return t
        }
        let outcome = await task.value
        loading.withLock { m in _ = m.removeValue(forKey: uuid) }
        return outcome
    }

    /// The stored rendering of a known instance: one indexed row read and no decoding, cheap
    /// enough for an event loop. nil when there is none (then ``loadKnown(_:key:)``).
    public func storedRendering(_ uuid: String) -> RenderedInstance? {
        let store = self.store
        let load: @Sendable () -> InstanceMetadata? = { try? store.load(uuid) }
        guard let stored = try? store.loadRendered(uuid, fingerprint: fingerprint),
              let r = RenderedInstance(uuid: uuid, revision: stored.revision, hasPassword: stored.hasPassword, options: treeOptions,
                                       serialized: stored.bytes, load: load) else { return nil }
        directory.remember(r)
        return r
    }

    private func readAndRender(_ uuid: String, key: AddressKey) async -> Outcome {
        do {
            if let r = storedRendering(uuid) { return .found(r) }
            if let i = try store.load(uuid) {
                let r = render(i)
                directory.remember(r)
                return .found(r)
            }
        } catch {
            logger.error("Cannot read a cached instance", metadata: ["instance.id": "\(uuid)", "error": "\(error)"])
        }
        return await resolveRemote(key)
    }

    /// Asks the conductor; stores what it says.
    public func resolveRemote(_ key: AddressKey) async -> Outcome {
        do {
            guard let i = try await source.instance(networkID: key.networkID, ip: key.ip) else {
                directory.rememberUnknown(key, until: .now + negativeTTL)
                return .unknown
            }
            guard AddressKey.all(of: i).contains(key) else {
                logger.warning("Conductor returned an instance without the requested address",
                               metadata: ["instance.id": "\(i.uuid)", "network.id": "\(key.networkID)"])
                return .unknown
            }
            await apply([i])
            let r = render(i)
            directory.remember(r)
            return .found(r)
        } catch {
            logger.warning("Cannot ask the conductor about an address",
                           metadata: ["network.id": "\(key.networkID)", "address": "\(key.ip)", "error": "\(error)"])
            return resolveCached(key) ?? .unavailable
        }
    }

    /// Renders without keeping the instance: other versions re-read it from SQLite.
    func render(_ i: InstanceMetadata) -> RenderedInstance {
        let store = self.store
        let uuid = i.uuid
        return RenderedInstance(i, options: treeOptions, load: { try? store.load(uuid) })
    }

    /// New instance states (fanout update, refill, lookup): newer revisions win.
    public func apply(_ instances: [InstanceMetadata], force: Bool = false) async {
        let changed = instances.filter { directory.apply($0, force: force) }
        guard !changed.isEmpty else { return }
        // Rendered now (off the request path), stored ready to serve.
        let rendered = Dictionary(changed.map { ($0.uuid, RenderedInstance($0, options: treeOptions, load: { nil }).serialized) },
                                  uniquingKeysWith: { a, _ in a })
        do {
            try await store.save(changed, force: force, rendered: rendered, fingerprint: fingerprint)
        } catch {
            logger.error("Cannot store instances in the cache", metadata: ["error": "\(error)"])
        }
    }

    public func delete(_ uuids: [String]) async {
        for uuid in uuids { directory.remove(uuid) }
        do {
            try await store.delete(uuids)
        } catch {
            logger.error("Cannot delete instances from the cache", metadata: ["error": "\(error)"])
        }
    }

    /// Re-reads every instance from the conductor in pages; instances it no longer lists are
    /// dropped (only after a complete pass).
    public func refill(pageSize: Int = 200) async throws {
        var marker: String?
        var seen = Set<String>()
        while true {
            let page = try await source.page(marker: marker, limit: pageSize)
            await apply(page)
            seen.formUnion(page.map(\.uuid))
            guard page.count == pageSize, let last = page.last else { break }
            marker = last.uuid
        }
        let gone = directory.uuids.subtracting(seen)
        if !gone.isEmpty { await delete(Array(gone)) }
        logger.info("Instance cache refilled", metadata: ["instances": "\(seen.count)", "removed": "\(gone.count)"])
    }
}
