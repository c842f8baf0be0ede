/// Keeps hosts with enough local disk: `local_gb × disk_allocation_ratio − used ≥ requested`
/// (Nova's DiskFilter; requested is root + ephemeral + swap).
public struct DiskFilter: HostFilter {
    public var name: String { "DiskFilter" }
    public var allocationRatio: Double

    public init(allocationRatio: Double = 1.0) {
        self.allocationRatio = allocationRatio
    }

    public var checksCapacity: Bool { true }

    public func passes(host: HostState, spec: PlacementRequest) -> Bool {
        let limit = Double(host.localGB) * allocationRatio
        return limit - Double(host.used.diskGB) >= Double(spec.resources.diskGB)
    }
}
