import Messaging

/// The `dhcp_agent` RPC API, served by every cirrus-dhcp-agent (Neutron's `DhcpAgentNotifyAPI`).
///
/// cirrus-api fans every change out to all agents (`dhcp_agent_fanout`): each agent hosts every
/// network with a DHCP-enabled subnet. Fanout queues are not durable, so an agent that missed an
/// event catches up on its next `sync_state`. Payloads follow Neutron's: `{"network": …}`,
/// `{"subnet": …}`, `{"port": …}`, deletes carry ids.
///
/// Other half: `Services/DHCPAgent`. Version history:
/// - 1.0: `network_create_end`, `network_update_end`, `network_delete_end`, `subnet_create_end`,
///   `subnet_update_end`, `subnet_delete_end`, `port_create_end`, `port_update_end`,
///   `port_delete_end`.
public enum DHCPAgentAPI: RPCAPIDescription {
    public static let topic = "dhcp_agent"
    public static let version = RPCVersion(1, 0)
    public static let methods: [RPCMethodDescription] = [
        RPCMethodDescription("network_create_end", since: RPCVersion(1, 0), .fanout, arguments: NetworkEventArguments.self),
        RPCMethodDescription("network_update_end", since: RPCVersion(1, 0), .fanout, arguments: NetworkEventArguments.self),
        RPCMethodDescription("network_delete_end", since: RPCVersion(1, 0), .fanout, arguments: NetworkDeleteArguments.self),
        RPCMethodDescription("subnet_create_end", since: RPCVersion(1, 0), .fanout, arguments: SubnetEventArguments.self),
        RPCMethodDescription("subnet_update_end", since: RPCVersion(1, 0), .fanout, arguments: SubnetEventArguments.self),
        RPCMethodDescription("subnet_delete_end", since: RPCVersion(1, 0), .fanout, arguments: SubnetDeleteArguments.self),
        RPCMethodDescription("port_create_end", since: RPCVersion(1, 0), .fanout, arguments: PortEventArguments.self),
        RPCMethodDescription("port_update_end", since: RPCVersion(1, 0), .fanout, arguments: PortEventArguments.self),
        RPCMethodDescription("port_delete_end", since: RPCVersion(1, 0), .fanout, arguments: PortDeleteArguments.self),
    ]
}

/// `network_create_end` / `network_update_end`: the whole network, subnets and ports included.
public struct NetworkEventArguments: Codable, Sendable, Equatable {
    public var network: NetworkInfo

    public init(network: NetworkInfo) {
        self.network = network
    }
}

public struct NetworkDeleteArguments: Codable, Sendable, Equatable {
    public var networkID: String

    public init(networkID: String) {
        self.networkID = networkID
    }

    enum CodingKeys: String, CodingKey {
        case networkID = "network_id"
    }
}

public struct SubnetEventArguments: Codable, Sendable, Equatable {
    public var subnet: SubnetInfo

    public init(subnet: SubnetInfo) {
        self.subnet = subnet
    }
}

public struct SubnetDeleteArguments: Codable, Sendable, Equatable {
    public var subnetID: String
    public var networkID: String

    public init(subnetID: String, networkID: String) {
        self.subnetID = subnetID
        self.networkID = networkID
    }

    enum CodingKeys: String, CodingKey {
        case subnetID = "subnet_id"
        case networkID = "network_id"
    }
}

public struct PortEventArguments: Codable, Sendable, Equatable {
    public var port: PortInfo

    public init(port: PortInfo) {
        self.port = port
    }
}

/// `port_delete_end`: enough to drop the host entry and release the lease.
public struct PortDeleteArguments: Codable, Sendable, Equatable {
    public var portID: String
    public var networkID: String
    public var macAddress: String
    public var fixedIPs: [FixedIP]

    public init(portID: String, networkID: String, macAddress: String, fixedIPs: [FixedIP]) {
        self.portID = portID
        self.networkID = networkID
        self.macAddress = macAddress
        self.fixedIPs = fixedIPs
    }

    enum CodingKeys: String, CodingKey {
        case portID = "port_id"
        case networkID = "network_id"
        case macAddress = "mac_address"
        case fixedIPs = "fixed_ips"
    }
}
