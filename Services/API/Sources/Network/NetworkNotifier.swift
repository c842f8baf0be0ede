import Foundation
import Logging
import Messaging
import Schemas
import ServiceLifecycle
import Storage
import Synchronization

/// Sends ``NetworkEvent``s to the DHCP agents and metadata proxies after the change was
/// committed, off the request path: ``submit(_:context:)`` queues them and returns; ``run()``
/// (a `Service`) drains the queue in batches, so a burst of boots costs one metadata cast per
/// batch rather than one per instance. Failures are logged, never fatal: agents and proxies
/// resync. `inline` notifiers send inside `submit` (tests: deterministic).
public final class NetworkNotifier: Service, Sendable {
    public let database: ServiceDatabase
    public let dhcp: any DHCPAgentNotifying
    public let metadata: any MetadataNotifying
    public let logger: Logger
    let inline: Bool
    let pending = Mutex<[(NetworkEvent, Messaging.RequestContext)]>([])
    let stream: AsyncStream<Void>
    let continuation: AsyncStream<Void>.Continuation

    public init(
        database: ServiceDatabase, dhcp: any DHCPAgentNotifying, metadata: any MetadataNotifying, logger: Logger, inline: Bool = false
    ) {
        self.database = database
        self.dhcp = dhcp
        self.metadata = metadata
        self.logger = logger
        self.inline = inline
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `events` (already committed) for sending.
    public func submit(_ events: [NetworkEvent], context: Messaging.RequestContext) async {
        guard !events.isEmpty else { return }
        if inline {
            await send(events.map { ($0, context) })
        } else {
            pending.withLock { $0.append(contentsOf: events.map { ($0, context) }) }
            continuation.yield()
        }
    }

    public func run() async throws {
        let continuation = self.continuation
        await withGracefulShutdownHandler {
            for await _ in stream {
                await drain()
            }
            await drain()
        } onGracefulShutdown: {
            continuation.finish()
        }
    }

    func drain() async {
        while true {
            let batch = pending.withLock { p -> [(NetworkEvent, Messaging.RequestContext)] in
                defer { p.removeAll(keepingCapacity: true) }
                return p
            }
            if batch.isEmpty { return }
            await send(batch)
        }
    }

    /// Splits documents into messages of about `limit` bytes at most (user data dominates).
    public static func chunks(_ docs: [InstanceMetadata], limit: Int = 512 * 1024) -> [[InstanceMetadata]] {
        var out: [[InstanceMetadata]] = []
        var current: [InstanceMetadata] = []
        var size = 0
        for doc in docs {
            let estimate = 4096 + (doc.userData?.utf8.count ?? 0) + (doc.keyData?.utf8.count ?? 0) + (doc.password?.utf8.count ?? 0)
            if !current.isEmpty, size + estimate > limit {
                out.append(current)
                current = []
                size = 0
            }
            current.append(doc)
            size += estimate
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Sends one batch: DHCP events in order, then one metadata update and one delete for all
    /// instances the batch touched.
    func send(_ batch: [(NetworkEvent, Messaging.RequestContext)]) async {
        var changed: [String] = []
        var deleted: [String] = []
        var lastNetworkSent: (String, Int)?
        for (index, (event, context)) in batch.enumerated() {
            if let uuid = event.instanceOfPort { changed.append(uuid) }
            do {
                switch event {
                case .networkCreated(let id), .networkUpdated(let id):
                    // Consecutive events about one network: the latest state once is enough.
                    if let (last, at) = lastNetworkSent, last == id, at == index - 1 { lastNetworkSent = (id, index); continue }
                    lastNetworkSent = (id, index)
                    guard let network = try await database.read({ db in try NetworkStore.info(db, network: id, withPorts: true) }) else { continue }
                    if case .networkCreated = event {
                        try await dhcp.networkCreateEnd(network, context: context)
                    } else {
                        try await dhcp.networkUpdateEnd(network, context: context)
                    }
                case .networkDeleted(let id): try await dhcp.networkDeleteEnd(networkID: id, context: context)
                case .subnetCreated(let s): try await dhcp.subnetCreateEnd(s, context: context)
                case .subnetUpdated(let s): try await dhcp.subnetUpdateEnd(s, context: context)
                case .subnetDeleted(let s, let n): try await dhcp.subnetDeleteEnd(subnetID: s, networkID: n, context: context)
                case .portCreated(let p): try await dhcp.portCreateEnd(p, context: context)
                case .portUpdated(let p), .portBound(let p): try await dhcp.portUpdateEnd(p, context: context)
                case .portDeleted(let p): try await dhcp.portDeleteEnd(p, context: context)
                case .instancesChanged(let uuids): changed.append(contentsOf: uuids)
                case .instancesDeleted(let uuids): deleted.append(contentsOf: uuids)
                }
            } catch {
                context.logger(logger).warning("Cannot notify a networking change; agents resync", metadata: ["event": "\(event)", "error": "\(error)"])
            }
        }
        let context = batch.first?.1 ?? .service("cirrus-api")
        let gone = Set(deleted)
        var seen = Set<String>()
        let update = changed.filter { !gone.contains($0) && seen.insert($0).inserted }
        do {
            for start in stride(from: 0, to: update.count, by: 100) {
                let part = Array(update[start..<min(start + 100, update.count)])
                let docs = try await database.read { db in try InstanceMetadataStore.load(db, instances: part) }
                let missing = Set(part).subtracting(docs.map(\.uuid))
                for part in Self.chunks(docs) { try await metadata.instanceMetadataUpdate(part, context: context) }
                deleted.append(contentsOf: missing.sorted())
            }
            if !deleted.isEmpty {
                var once = Set<String>()
                try await metadata.instanceMetadataDelete(deleted.filter { once.insert($0).inserted }, context: context)
            }
        } catch {
            context.logger(logger).warning("Cannot notify metadata proxies; they refill periodically", metadata: ["error": "\(error)"])
        }
    }
}
