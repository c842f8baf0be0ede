/// A filter resolved to its concrete type, so the per-host loop calls it statically (inlined,
/// reading a few fields in place). Through `any HostFilter` every call copied the whole
/// ``HostState`` (strings, dictionary: a dozen reference-count operations), which made a
/// 1,000-host decision cost ~0.5 ms of CPU. Filters of other types still work, through the
/// protocol.
struct CompiledFilter: Sendable {
    enum Kind: Sendable {
        case compute(ComputeFilter)
        case ram(RAMFilter)
        case core(CoreFilter)
        case disk(DiskFilter)
        case zone(AvailabilityZoneFilter)
        case image(ImagePropertiesFilter)
        case other
    }

    /// Trivially copyable (no reference inside; `.other` filters stay in the selector), so reading it per host costs nothing.
    let kind: Kind
    let checksCapacity: Bool
    /// Position in the selector's `filters`, for `.other`.
    let position: Int

    init(_ filter: any HostFilter, position: Int) {
        checksCapacity = filter.checksCapacity
        self.position = position
        switch filter {
        case let f as ComputeFilter: kind = .compute(f)
        case let f as RAMFilter: kind = .ram(f)
        case let f as CoreFilter: kind = .core(f)
        case let f as DiskFilter: kind = .disk(f)
        case let f as AvailabilityZoneFilter: kind = .zone(f)
        case let f as ImagePropertiesFilter: kind = .image(f)
        default: kind = .other
        }
    }

    @inline(__always)
    func passes(_ host: borrowing HostState, _ spec: borrowing PlacementRequest, _ all: [any HostFilter]) -> Bool {
        switch kind {
        case .compute(let f): f.passes(host: host, spec: spec)
        case .ram(let f): f.passes(host: host, spec: spec)
        case .core(let f): f.passes(host: host, spec: spec)
        case .disk(let f): f.passes(host: host, spec: spec)
        case .zone(let f): f.passes(host: host, spec: spec)
        case .image(let f): f.passes(host: host, spec: spec)
        case .other: all[position].passes(host: host, spec: spec)
        }
    }
}

/// A weigher resolved to its concrete type (see ``CompiledFilter``).
struct CompiledWeigher: Sendable {
    enum Kind: Sendable {
        case ram(RAMWeigher)
        case instanceCount(InstanceCountWeigher)
        case other
    }

    let kind: Kind
    let multiplier: Double
    let position: Int

    init(_ weigher: any HostWeigher, position: Int) {
        multiplier = weigher.multiplier
        self.position = position
        switch weigher {
        case let w as RAMWeigher: kind = .ram(w)
        case let w as InstanceCountWeigher: kind = .instanceCount(w)
        default: kind = .other
        }
    }

    @inline(__always)
    func rawWeight(_ host: borrowing HostState, _ spec: borrowing PlacementRequest, _ all: [any HostWeigher]) -> Double {
        switch kind {
        case .ram(let w): w.rawWeight(host: host, spec: spec)
        case .instanceCount(let w): w.rawWeight(host: host, spec: spec)
        case .other: all[position].rawWeight(host: host, spec: spec)
        }
    }
}
