/// Weighs the number of instances on a host (in-flight builds included).
///
/// The sign follows ``RAMWeigher``: a positive multiplier spreads (hosts with fewer instances
/// win), a negative one packs. Nova's NumInstancesWeigher has the opposite sign (positive
/// packs), hence the different option name, `[filter_scheduler]
/// instance_count_weight_multiplier`. Default 0.0 (off, as in Nova), so that a negative
/// `ram_weight_multiplier` alone is enough to pack.
public struct InstanceCountWeigher: HostWeigher {
    public var name: String { "InstanceCountWeigher" }
    public var multiplier: Double

    public init(multiplier: Double = 0.0) {
        self.multiplier = multiplier
    }

    public func rawWeight(host: HostState, spec: PlacementRequest) -> Double {
        -Double(host.instanceCount)
    }
}
