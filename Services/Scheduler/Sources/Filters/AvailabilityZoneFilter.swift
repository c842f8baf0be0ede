/// Keeps hosts in the availability zone the request names; any host when it names none.
public struct AvailabilityZoneFilter: HostFilter {
    public var name: String { "AvailabilityZoneFilter" }

    public init() {}

    public func passes(host: HostState, spec: PlacementRequest) -> Bool {
        guard let zone = spec.spec.availabilityZone, !zone.isEmpty else { return true }
        return host.availabilityZone == zone
    }
}
