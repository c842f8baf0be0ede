/// Keeps hosts with enough RAM: `memory_mb × ram_allocation_ratio − used ≥ requested`
/// (Nova's RamFilter), where used counts in-flight claims.
public struct RAMFilter: HostFilter {
    public var name: String { "RAMFilter" }
    public var allocationRatio: Double

    public init(allocationRatio: Double = 1.5) {
        self.allocationRatio = allocationRatio
    }

    public var checksCapacity: Bool { true }

    public func passes(host: HostState, spec: PlacementRequest) -> Bool {
        let limit = Double(host.memoryMB) * allocationRatio
        return limit - Double(host.used.memoryMB) >= Double(spec.resources.memoryMB)
    }
}
