import Foundation
import Logging
import Messaging
import Schemas
import ServiceKit

/// The DHCP agent (Neutron's `DhcpAgent`): the networks it serves, the dnsmasq it runs for
/// each, and the one loop that changes them. RPC handlers only queue events in ``inbox``;
/// ``process(_:)`` takes a batch, folds it into the cached networks (``EventCoalescer``),
/// talks to cirrus-api where needed (`sync_state`, DHCP ports), persists, and applies
/// ``DnsmasqAction``s, several networks at once.
public actor DHCPAgent {
    public struct Options: Sendable {
        public var host: String
        public var renderer: DnsmasqRenderer.Settings
        public var numSyncThreads = 4
        /// First retry delay after a failure; doubles up to `maximumRetryDelay`.
        public var resyncThrottle: Double = 1
        public var maximumRetryDelay: Double = 30
        /// A burst in progress (more than one event queued) waits this long to gather the rest.
        public var bulkReloadInterval: Double = 0.005

        public init(host: String, renderer: DnsmasqRenderer.Settings) {
            self.host = host
            self.renderer = renderer
        }
    }

    public nonisolated let options: Options
    public nonisolated let inbox: EventInbox
    let store: DHCPAgentStore
    let control: any DHCPControlPlane
    let applier: DnsmasqApplier
    let renderer: DnsmasqRenderer
    let logger: Logger
    /// Networks as cirrus-api last described them (every active one, DHCP or not).
    public internal(set) var networks: [String: ServedNetwork] = [:]
    /// The dnsmasq running per network.
    public internal(set) var applied: [String: AppliedDnsmasq] = [:]
    var coalescer = EventCoalescer()
    /// Consecutive failed full syncs (for the retry backoff).
    var syncFailures = 0
    /// Whether the last full sync reached cirrus-api.
    public internal(set) var synced = false
    var retryIDs: Set<String> = []
    var retryFull = false
    var retryTask: Task<Void, Never>?
    let serial = AsyncSemaphore(1)

    public init(
        options: Options, store: DHCPAgentStore, control: any DHCPControlPlane, applier: DnsmasqApplier, inbox: EventInbox = EventInbox(),
        logger: Logger
    ) {
        self.options = options
        self.store = store
        self.control = control
        self.applier = applier
        self.inbox = inbox
        self.renderer = DnsmasqRenderer(settings: options.renderer)
        self.logger = logger
    }

    /// Runs the processing loop until `inbox` finishes (the service cancels it on shutdown).
    public func run() async {
        for await _ in inbox.wakeups {
            var batch = inbox.drain()
            if batch.count > 1, options.bulkReloadInterval > 0 {
                try? await Task.sleep(for: .milliseconds(Int(options.bulkReloadInterval * 1000)))
                batch += inbox.drain()
            }
            if !batch.isEmpty { await process(batch) }
        }
        retryTask?.cancel()
    }

    /// Handles one batch of events. Batches never interleave (the actor alone would at each
    /// `await`), so two of them cannot configure the same network at once.
    ///
    /// A full sync's `get_active_networks_info` is awaited before taking the lock, so a batch
    /// from the process monitor (``checkProcesses()``) runs meanwhile.
    public func process(_ batch: [QueuedEvent]) async {
        var fetched: Result<[NetworkInfo], any Error>?
        if batch.contains(where: { $0.event == .resync(networks: nil) }) {
            let control = self.control, host = options.host
            do {
                fetched = .success(try await control.activeNetworks(host: host, context: .service("cirrus-dhcp-agent")))
            } catch {
                fetched = .failure(error)
            }
        }
        await serial.wait()
        await processNow(batch, fetched: fetched)
        await serial.signal()
    }

    /// The process monitor's pass, outside the event queue: respawns dead dnsmasq even while
    /// the loop waits for cirrus-api.
    public func checkProcesses() async {
        await process([QueuedEvent(.checkProcesses, requestID: RequestContext.newRequestID())])
    }

    private func processNow(_ batch: [QueuedEvent], fetched: Result<[NetworkInfo], any Error>?) async {
        var log = logger
        if let first = batch.first { log[metadataKey: "request.id"] = "\(first.requestID)" }
        if batch.count > 1 { log[metadataKey: "batch.size"] = "\(batch.count)" }
        let outcome = coalescer.apply(batch.map(\.event), to: &networks)
        if outcome.stale > 0 { log.debug("Ignored stale events", metadata: ["events.stale": "\(outcome.stale)"]) }
        var touched = outcome.changed
        var dirty = outcome.changed
        var removed = outcome.deleted
        if outcome.fullSync {
            if let fetched, let r = await syncState(fetched, logger: log) {
                // Unchanged networks whose dnsmasq runs render to what runs: skip them.
                touched.formUnion(r.dirty)
                touched.formUnion(r.active.filter { applied[$0] == nil })
                dirty.formUnion(r.dirty)
                removed.formUnion(r.removed)
            } else {
                // cirrus-api is away: still retry what failed locally (from the cached model).
                touched.formUnion(networks.keys.filter { applied[$0] == nil })
            }
        } else if !outcome.fetch.isEmpty {
            let r = await refresh(outcome.fetch, logger: log)
            touched.formUnion(r.changed)
            touched.formUnion(outcome.fetch.filter { networks[$0] != nil })
            dirty.formUnion(r.changed)
            removed.formUnion(r.removed)
        }
        if outcome.checkProcesses { touched.formUnion(deadDnsmasq(logger: log)) }
        touched.subtract(removed)
        dirty.subtract(removed)
        dirty.formUnion(await ensureDHCPPorts(touched, logger: log))
        // dnsmasq first, the database after: a port waits for its lease on the reload only.
        await applyNetworks(touched, stopping: removed, logger: log)
        await persist(dirty, removed: removed, logger: log)
        for id in removed { await releasePort(id, logger: log) }
    }

    /// Whether a dnsmasq runs for the network (for tests and the benchmark).
    public func dnsmasqPID(_ networkID: String) -> Int32? { applied[networkID]?.pid }

    /// How many reservations the running dnsmasq of the network has (for the benchmark).
    public func reservationCount(_ networkID: String) -> Int { applied[networkID]?.config.hosts.count ?? 0 }

    func persist(_ ids: Set<String>, removed: Set<String>, logger: Logger) async {
        guard !ids.isEmpty || !removed.isEmpty else { return }
        do {
            try await store.save(ids.compactMap { networks[$0] }, removing: Array(removed))
        } catch {
            logger.error("Cannot save networks to the agent database", metadata: ["error": "\(error)"])
        }
    }
}
