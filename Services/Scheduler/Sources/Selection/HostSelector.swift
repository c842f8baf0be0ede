/// Nova's filter scheduler as a pure function: `ignore_hosts`/`force_hosts`, the enabled
/// filters in order, then the weighers; the caller claims.
public struct HostSelector: Sendable {
    public let filters: [any HostFilter]
    /// Weighers with a non-zero multiplier (the others would add 0 to every host).
    public let weighers: [any HostWeigher]

    let compiledFilters: [CompiledFilter]
    let compiledWeighers: [CompiledWeigher]

    public init(filters: [any HostFilter], weighers: [any HostWeigher]) {
        self.filters = filters
        self.weighers = weighers.filter { $0.multiplier != 0 }
        compiledFilters = filters.enumerated().map { CompiledFilter($1, position: $0) }
        compiledWeighers = self.weighers.enumerated().map { CompiledWeigher($1, position: $0) }
    }

    /// The outcome of ranking hosts for one instance.
    public enum Ranking: Sendable, Equatable {
        /// Indices into the host list of the hosts that passed, heaviest first, at most the limit asked.
        case ranked([Int])
        /// No host passed; what removed them.
        case noHost(FilterReport)
    }

    /// Whether `host` is a candidate for `spec`: not ignored, forced if hosts are forced, and
    /// passing the filters (only the capacity ones for a forced host).
    public func passes(_ host: HostState, spec: PlacementRequest) -> Bool {
        if spec.isIgnored(host.host) { return false }
        let forced = spec.isForced
        if forced && !spec.isForced(host.host) { return false }
        for filter in compiledFilters where !forced || filter.checksCapacity {
            if !filter.passes(host, spec, filters) { return false }
        }
        return true
    }

    /// Filters and weighs `hosts`, returning up to `limit` candidates, heaviest first (ties keep
    /// the host order), or what removed every host.
    public func rank(_ hosts: [HostState], spec: PlacementRequest, limit: Int) -> Ranking {
        var candidates: [Int] = []
        candidates.reserveCapacity(hosts.count)
        var ignored = 0
        var notForced = 0
        var removed = [Int](repeating: 0, count: filters.count)
        let forced = spec.isForced
        let checkNames = forced || spec.hasIgnoredHosts
        // Hosts are read in place from the (immutable) array: a copy of each HostState costs
        // more than the filters themselves.
        next: for index in hosts.indices {
            if checkNames {
                if spec.isIgnored(hosts[index].host) { ignored += 1; continue }
                if forced && !spec.isForced(hosts[index].host) { notForced += 1; continue }
            }
            for position in compiledFilters.indices where !forced || compiledFilters[position].checksCapacity {
                if !compiledFilters[position].passes(hosts[index], spec, filters) {
                    removed[position] += 1
                    continue next
                }
            }
            candidates.append(index)
        }
        guard !candidates.isEmpty else {
            var removals: [FilterReport.Removal] = []
            if ignored > 0 { removals.append(.init(step: "ignore_hosts", count: ignored)) }
            if notForced > 0 { removals.append(.init(step: "force_hosts", count: notForced)) }
            for (position, filter) in filters.enumerated() where removed[position] > 0 {
                removals.append(.init(step: filter.name, count: removed[position]))
            }
            return .noHost(FilterReport(hostCount: hosts.count, removals: removals))
        }
        let weights = weigh(candidates, in: hosts, spec: spec)
        return .ranked(Self.top(candidates, weights: weights, limit: max(1, limit)))
    }

    /// Total weight per candidate: Σ multiplier × normalised raw weight.
    func weigh(_ candidates: [Int], in hosts: [HostState], spec: PlacementRequest) -> [Double] {
        var total = [Double](repeating: 0, count: candidates.count)
        guard !compiledWeighers.isEmpty else { return total }
        var raw = [Double](repeating: 0, count: candidates.count)
        for weigher in compiledWeighers {
            for k in candidates.indices {
                raw[k] = weigher.rawWeight(hosts[candidates[k]], spec, weighers)
            }
            WeightNormalisation.normalise(&raw)
            let multiplier = weigher.multiplier
            for k in raw.indices { total[k] += multiplier * raw[k] }
        }
        return total
    }

    /// The `limit` heaviest candidates, heaviest first; on equal weight the earlier one first.
    static func top(_ candidates: [Int], weights: [Double], limit: Int) -> [Int] {
        var best: [Int] = []  // positions into candidates
        best.reserveCapacity(limit + 1)
        for k in candidates.indices {
            let w = weights[k]
            if best.count == limit, let last = best.last, !(w > weights[last]) { continue }
            var at = best.count
            while at > 0 && w > weights[best[at - 1]] { at -= 1 }
            best.insert(k, at: at)
            if best.count > limit { best.removeLast() }
        }
        return best.map { candidates[$0] }
    }
}
