import Schemas

/// A change to write through to SQLite, in the order it happened in memory.
public enum PersistenceOp: Sendable, Equatable {
    case upsertHost(HostState)
    case insertClaim(Claim)
    case deleteClaim(instanceUUID: String)
}

/// All hosts and claims, in memory (a value type, not thread-safe: ``HostStateStore`` guards
/// it with a mutex). Every mutation appends the matching ``PersistenceOp`` to ``journal``.
public struct HostTable: Sendable {
    /// Hosts in the order they became known (an array: the filters scan it on every request).
    public private(set) var hosts: [HostState] = []
    private var indexByName: [String: Int] = [:]
    /// Claims by instance uuid.
    public private(set) var claims: [String: Claim] = [:]
    /// Changes not yet written to SQLite.
    public var journal: [PersistenceOp] = []

    public init() {}

    /// Restores hosts and claims read from SQLite (claims on unknown hosts are kept, so a
    /// `release_claim` still finds them, but count nowhere).
    public init(hosts: [HostState], claims: [Claim]) {
        for var host in hosts {
            host.claimed = .zero
            indexByName[host.host] = self.hosts.count
            self.hosts.append(host)
        }
        for claim in claims {
            self.claims[claim.instanceUUID] = claim
            if let index = indexByName[claim.host] { self.hosts[index].claimed = self.hosts[index].claimed + claim.resources }
        }
    }

    public func index(of host: String) -> Int? { indexByName[host] }

    public func host(named name: String) -> HostState? { indexByName[name].map { hosts[$0] } }

    /// Records a report: totals and usage replace the previous ones; claims on this host whose
    /// instance the report lists are dropped (the reported usage now includes them), as are
    /// claims older than `claimTimeout` seconds that it still does not list.
    /// - Returns: the instance uuids whose claims were dropped.
    @discardableResult
    public mutating func apply(report: HostReport, now: Double, claimTimeout: Double) -> [String] {
        let index = indexByName[report.host]
        var state = HostState(report: report, at: now, previous: index.map { hosts[$0] })
        var dropped: [String] = []
        if state.claimed != .zero {
            let listed = Set(report.instanceUUIDs)
            for (uuid, claim) in claims where claim.host == report.host {
                if listed.contains(uuid) || now - claim.createdAt > claimTimeout { dropped.append(uuid) }
            }
            for uuid in dropped {
                if let claim = claims.removeValue(forKey: uuid) { state.claimed = state.claimed - claim.resources }
                journal.append(.deleteClaim(instanceUUID: uuid))
            }
        }
        store(state, at: index)
        return dropped
    }

    /// Sets a host's administrative state; a host not reported yet is remembered without
    /// capacity (the ComputeFilter removes it until it reports).
    public mutating func setService(host: String, disabled: Bool, forcedDown: Bool) {
        let index = indexByName[host]
        var state = index.map { hosts[$0] } ?? HostState(host: host, nodename: host)
        state.disabled = disabled
        state.forcedDown = forcedDown
        store(state, at: index)
    }

    /// Claims `resources` on the host at `index` for `instanceUUID` (replacing its claim if any).
    public mutating func claim(_ instanceUUID: String, hostAt index: Int, resources: Resources, now: Double) {
        release(instanceUUID)
        let claim = Claim(instanceUUID: instanceUUID, host: hosts[index].host, resources: resources, createdAt: now)
        claims[instanceUUID] = claim
        hosts[index].claimed = hosts[index].claimed + resources
        journal.append(.insertClaim(claim))
    }

    /// Drops the claim of `instanceUUID`, if any.
    /// - Returns: the claim that was dropped.
    @discardableResult
    public mutating func release(_ instanceUUID: String) -> Claim? {
        guard let claim = claims.removeValue(forKey: instanceUUID) else { return nil }
        if let index = indexByName[claim.host] { hosts[index].claimed = hosts[index].claimed - claim.resources }
        journal.append(.deleteClaim(instanceUUID: instanceUUID))
        return claim
    }

    private mutating func store(_ state: HostState, at index: Int?) {
        if let index {
            hosts[index] = state
        } else {
            indexByName[state.host] = hosts.count
            hosts.append(state)
        }
        journal.append(.upsertHost(state))
    }
}
