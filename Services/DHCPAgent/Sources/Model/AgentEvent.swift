import Schemas

/// One unit of work for the agent's single processing loop: a notification from cirrus-api,
/// or the agent's own resync / process check.
public enum AgentEvent: Sendable, Equatable {
    case networkUpdate(NetworkInfo)
    case networkDelete(networkID: String)
    case subnetUpdate(SubnetInfo)
    case subnetDelete(subnetID: String, networkID: String)
    case portUpdate(PortInfo)
    case portDelete(PortDeleteArguments)
    /// Full `sync_state` (nil) or a refresh of the listed networks from the conductor.
    case resync(networks: Set<String>?)
    /// The process monitor's check (respawn dead dnsmasq).
    case checkProcesses
}

/// A queued event with the request id it arrived with (for the logs).
public struct QueuedEvent: Sendable, Equatable {
    public var event: AgentEvent
    public var requestID: String

    public init(_ event: AgentEvent, requestID: String) {
        self.event = event
        self.requestID = requestID
    }
}
