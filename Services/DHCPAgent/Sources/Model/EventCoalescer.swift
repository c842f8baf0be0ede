import Schemas

/// Applies a batch of notifications to the cached networks at once (Neutron's
/// `ResourceProcessingQueue` + `bulk_reload_interval`): many port events for one network
/// become one changed network, hence one file write and one SIGHUP. Pure.
public struct EventCoalescer: Sendable {
    /// What a batch asks for.
    public struct Outcome: Sendable, Equatable {
        /// Networks whose cached description changed (to render and apply).
        public var changed: Set<String> = []
        /// Networks that were deleted.
        public var deleted: Set<String> = []
        /// Networks the agent does not know, or cannot update from the event alone: fetch them.
        public var fetch: Set<String> = []
        /// A full `sync_state` was asked for.
        public var fullSync = false
        /// A process check was asked for.
        public var checkProcesses = false
        /// Events ignored as stale (older revision, or a port deleted meanwhile).
        public var stale = 0

        public init() {}
    }

    /// Port ids deleted recently, so a late update cannot bring them back (Neutron's
    /// `deleted_ports`); bounded.
    public private(set) var recentlyDeleted: [String] = []
    private var deletedSet: Set<String> = []
    public var recentlyDeletedLimit = 4096

    public init() {}

    /// Applies `events` in order to `networks`.
    public mutating func apply(_ events: [AgentEvent], to networks: inout [String: ServedNetwork]) -> Outcome {
        var out = Outcome()
        for event in events {
            switch event {
            case .networkUpdate(let info):
                guard var served = networks[info.id] else { out.fetch.insert(info.id); continue }
                if info.revisionNumber < served.network.revisionNumber { out.stale += 1; continue }
                let ports = info.ports.isEmpty ? served.network.ports : info.ports
                served.network = info
                served.network.ports = ports
                networks[info.id] = served
                out.changed.insert(info.id)
            case .networkDelete(let id):
                networks[id] = nil
                out.deleted.insert(id)
                out.changed.remove(id)
                out.fetch.remove(id)
            case .subnetUpdate(let subnet):
                guard var served = networks[subnet.networkID] else { out.fetch.insert(subnet.networkID); continue }
                if let i = served.network.subnets.firstIndex(where: { $0.id == subnet.id }) {
                    served.network.subnets[i] = subnet
                } else {
                    served.network.subnets.append(subnet)
                }
                networks[subnet.networkID] = served
                out.changed.insert(subnet.networkID)
            case .subnetDelete(let subnetID, let networkID):
                guard var served = networks[networkID] else { continue }
                served.network.subnets.removeAll { $0.id == subnetID }
                networks[networkID] = served
                out.changed.insert(networkID)
            case .portUpdate(let port):
                if deletedSet.contains(port.id) { out.stale += 1; continue }
                guard var served = networks[port.networkID] else { out.fetch.insert(port.networkID); continue }
                if let i = served.network.ports.firstIndex(where: { $0.id == port.id }) {
                    if port.revisionNumber < served.network.ports[i].revisionNumber { out.stale += 1; continue }
                    served.network.ports[i] = port
                } else {
                    served.network.ports.append(port)
                }
                if served.dhcpPort?.id == port.id { served.dhcpPort = port }
                networks[port.networkID] = served
                out.changed.insert(port.networkID)
            case .portDelete(let args):
                remember(args.portID)
                guard var served = networks[args.networkID] else { continue }
                served.network.ports.removeAll { $0.id == args.portID }
                if served.dhcpPort?.id == args.portID {
                    served.dhcpPort = nil
                    out.fetch.insert(args.networkID)
                }
                networks[args.networkID] = served
                out.changed.insert(args.networkID)
            case .resync(let ids):
                if let ids { out.fetch.formUnion(ids) } else { out.fullSync = true }
            case .checkProcesses:
                out.checkProcesses = true
            }
        }
        return out
    }

    private mutating func remember(_ portID: String) {
        guard deletedSet.insert(portID).inserted else { return }
        recentlyDeleted.append(portID)
        if recentlyDeleted.count > recentlyDeletedLimit {
            let drop = recentlyDeleted.count - recentlyDeletedLimit
            deletedSet.subtract(recentlyDeleted.prefix(drop))
            recentlyDeleted.removeFirst(drop)
        }
    }

    /// Forgets deleted ports a full sync has confirmed (their ids can no longer come back).
    public mutating func forgetDeleted() {
        recentlyDeleted.removeAll()
        deletedSet.removeAll()
    }
}
