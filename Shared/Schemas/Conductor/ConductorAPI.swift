import Messaging

/// The `conductor` RPC API, served by cirrus-api, called by every other service.
///
/// Other half: the conductor manager in `Services/API`. Version history:
/// - 1.0: `report_state` (service heartbeats).
/// - 1.1: `instance_update`, `reschedule_instance`, `compute_node_update` (casts from
///   compute) and `get_host_instances` (compute's restart reconciliation).
/// - 1.2: `reschedule_instance` carries interfaces with `physical_network`; networking: `get_active_networks_info`, `get_network_info`, `create_dhcp_port`,
///   `release_dhcp_port` (DHCP agent), `update_port_status` (compute), `get_instance_metadata`,
///   `list_instance_metadata`, `set_instance_password` (metadata proxy).
public enum ConductorAPI: RPCAPIDescription {
    public static let topic = "conductor"
    public static let version = RPCVersion(1, 2)
    public static let methods: [RPCMethodDescription] = [
        RPCMethodDescription("report_state", since: RPCVersion(1, 0), .call, arguments: ReportStateArguments.self, result: ServiceStateReply.self),
        RPCMethodDescription("instance_update", since: RPCVersion(1, 1), .cast, arguments: InstanceUpdateArguments.self),
        RPCMethodDescription("reschedule_instance", since: RPCVersion(1, 2), .cast, arguments: RescheduleInstanceArguments.self),
        RPCMethodDescription("compute_node_update", since: RPCVersion(1, 1), .cast, arguments: ComputeNodeUpdateArguments.self),
        RPCMethodDescription("get_host_instances", since: RPCVersion(1, 1), .call, arguments: GetHostInstancesArguments.self, result: GetHostInstancesResult.self),
        RPCMethodDescription("get_active_networks_info", since: RPCVersion(1, 2), .call, arguments: GetActiveNetworksArguments.self, result: GetActiveNetworksResult.self),
        RPCMethodDescription("get_network_info", since: RPCVersion(1, 2), .call, arguments: GetNetworkInfoArguments.self, result: GetNetworkInfoResult.self),
        RPCMethodDescription("create_dhcp_port", since: RPCVersion(1, 2), .call, arguments: DHCPPortArguments.self, result: DHCPPortResult.self),
        RPCMethodDescription("release_dhcp_port", since: RPCVersion(1, 2), .call, arguments: DHCPPortArguments.self, result: EmptyResult.self),
        RPCMethodDescription("update_port_status", since: RPCVersion(1, 2), .cast, arguments: UpdatePortStatusArguments.self),
        RPCMethodDescription("get_instance_metadata", since: RPCVersion(1, 2), .call, arguments: GetInstanceMetadataArguments.self, result: GetInstanceMetadataResult.self),
        RPCMethodDescription("list_instance_metadata", since: RPCVersion(1, 2), .call, arguments: ListInstanceMetadataArguments.self, result: ListInstanceMetadataResult.self),
        RPCMethodDescription("set_instance_password", since: RPCVersion(1, 2), .call, arguments: SetInstancePasswordArguments.self, result: SetInstancePasswordResult.self),
    ]
}

/// `report_state` arguments: one service's periodic heartbeat.
public struct ReportStateArguments: Codable, Sendable, Equatable {
    public var service: ServiceReport

    public init(service: ServiceReport) {
        self.service = service
    }
}

/// A service's heartbeat as sent every `report_interval`.
public struct ServiceReport: Codable, Sendable, Equatable {
    /// `cirrus-compute`, `cirrus-scheduler`, ...
    public var binary: String
    public var host: String
    /// The RPC topic the service consumes.
    public var topic: String
    /// Reports sent since the process started.
    public var reportCount: Int
    public var availabilityZone: String?
    /// Software version of the reporting binary.
    public var version: String

    public init(binary: String, host: String, topic: String, reportCount: Int, availabilityZone: String? = nil, version: String) {
        self.binary = binary
        self.host = host
        self.topic = topic
        self.reportCount = reportCount
        self.availabilityZone = availabilityZone
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case binary, host, topic
        case reportCount = "report_count"
        case availabilityZone = "availability_zone"
        case version
    }
}

/// What the conductor answers a heartbeat with: the service's administrative state.
public struct ServiceStateReply: Codable, Sendable, Equatable {
    public var disabled: Bool
    public var disabledReason: String?
    public var forcedDown: Bool
    /// True when the conductor had considered the service down: it should resync.
    public var revived: Bool

    public init(disabled: Bool = false, disabledReason: String? = nil, forcedDown: Bool = false, revived: Bool = false) {
        self.disabled = disabled
        self.disabledReason = disabledReason
        self.forcedDown = forcedDown
        self.revived = revived
    }

    enum CodingKeys: String, CodingKey {
        case disabled
        case disabledReason = "disabled_reason"
        case forcedDown = "forced_down"
        case revived
    }
}
