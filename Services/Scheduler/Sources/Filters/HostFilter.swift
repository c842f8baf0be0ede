/// One scheduler filter (Nova's `BaseHostFilter`): a pure yes/no on a host for a request.
///
/// Filters run in the configured order on the hosts the previous filters kept; the count of
/// hosts each one removed goes into the `NoValidHost` message.
public protocol HostFilter: Sendable {
    /// The name used in `[filter_scheduler] enabled_filters` and in `NoValidHost` messages.
    var name: String { get }
    /// Capacity filters also apply to hosts named in `force_hosts`; the others are skipped for
    /// them, as Nova skips filters for an admin's `--host` (where Placement still checks capacity).
    var checksCapacity: Bool { get }
    func passes(host: HostState, spec: PlacementRequest) -> Bool
}

extension HostFilter {
    public var checksCapacity: Bool { false }
}
