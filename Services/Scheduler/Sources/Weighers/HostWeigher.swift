/// One scheduler weigher (Nova's `BaseHostWeigher`): a raw weight per host, normalised over
/// the candidate hosts to 0...1 (min-max, all 0 when every host weighs the same), times the
/// multiplier; a host's weight is the sum over the weighers and the heaviest host wins.
public protocol HostWeigher: Sendable {
    var name: String { get }
    /// Positive favours hosts with a high raw weight; negative favours a low one; 0 disables.
    var multiplier: Double { get }
    func rawWeight(host: HostState, spec: PlacementRequest) -> Double
}

/// Nova's `weights.normalize`: (w − min) / (max − min), or all 0 when max == min.
public enum WeightNormalisation {
    /// Normalises `values` in place.
    public static func normalise(_ values: inout [Double]) {
        guard let first = values.first else { return }
        var lo = first
        var hi = first
        for v in values {
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        let range = hi - lo
        if range == 0 {
            for i in values.indices { values[i] = 0 }
            return
        }
        for i in values.indices { values[i] = (values[i] - lo) / range }
    }
}
