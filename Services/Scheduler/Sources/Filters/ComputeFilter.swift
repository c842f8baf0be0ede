/// Keeps hosts whose compute service is up (reported within `service_down_time`), enabled and
/// not forced down.
public struct ComputeFilter: HostFilter {
    public var name: String { "ComputeFilter" }
    /// Seconds without a report after which a host is down.
    public var serviceDownTime: Double

    public init(serviceDownTime: Double) {
        self.serviceDownTime = serviceDownTime
    }

    public func passes(host: HostState, spec: PlacementRequest) -> Bool {
        !host.disabled && host.isUp(now: spec.now, serviceDownTime: serviceDownTime)
    }
}
