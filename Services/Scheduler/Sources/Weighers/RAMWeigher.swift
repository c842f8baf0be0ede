/// Weighs free RAM (Nova's RAMWeigher): with the default multiplier 1.0 the host with the most
/// free RAM wins, spreading instances; a negative multiplier packs them onto the fullest host.
public struct RAMWeigher: HostWeigher {
    public var name: String { "RAMWeigher" }
    /// `[filter_scheduler] ram_weight_multiplier`.
    public var multiplier: Double

    public init(multiplier: Double = 1.0) {
        self.multiplier = multiplier
    }

    public func rawWeight(host: HostState, spec: PlacementRequest) -> Double {
        Double(host.freeRAMMB)
    }
}
