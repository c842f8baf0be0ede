/// Keeps hosts with enough vCPUs: `vcpus × cpu_allocation_ratio − used ≥ requested`
/// (Nova's CoreFilter). Unlike Nova, a host reporting 0 vCPUs fails: it cannot run anything.
public struct CoreFilter: HostFilter {
    public var name: String { "CoreFilter" }
    public var allocationRatio: Double

    public init(allocationRatio: Double = 16.0) {
        self.allocationRatio = allocationRatio
    }

    public var checksCapacity: Bool { true }

    public func passes(host: HostState, spec: PlacementRequest) -> Bool {
        let limit = Double(host.vcpus) * allocationRatio
        return limit - Double(host.used.vcpus) >= Double(spec.resources.vcpus)
    }
}
