/// Arguments and results of the conductor methods added in 1.2 for the DHCP agent
/// (Neutron's `DhcpPluginApi`), the metadata proxy and compute's VIF plugging.

/// `get_active_networks_info`: every network the agent on `host` should serve, with subnets and ports.
public struct GetActiveNetworksArguments: Codable, Sendable, Equatable {
    public var host: String

    public init(host: String) {
        self.host = host
    }
}

public struct GetActiveNetworksResult: Codable, Sendable, Equatable {
    public var networks: [NetworkInfo]

    public init(networks: [NetworkInfo]) {
        self.networks = networks
    }
}

/// `get_network_info`: one network with its subnets and ports; `network` is nil when it is gone.
public struct GetNetworkInfoArguments: Codable, Sendable, Equatable {
    public var networkID: String

    public init(networkID: String) {
        self.networkID = networkID
    }

    enum CodingKeys: String, CodingKey {
        case networkID = "network_id"
    }
}

public struct GetNetworkInfoResult: Codable, Sendable, Equatable {
    public var network: NetworkInfo?

    public init(network: NetworkInfo?) {
        self.network = network
    }
}

/// `create_dhcp_port` / `release_dhcp_port`: the DHCP port of the agent on `host` for a
/// network. Creating is idempotent (the existing port is returned); `device_id` is
/// `dhcp<uuid5(DNS, host)>-<network id>` as in Neutron.
public struct DHCPPortArguments: Codable, Sendable, Equatable {
    public var host: String
    public var networkID: String

    public init(host: String, networkID: String) {
        self.host = host
        self.networkID = networkID
    }

    enum CodingKeys: String, CodingKey {
        case host
        case networkID = "network_id"
    }
}

public struct DHCPPortResult: Codable, Sendable, Equatable {
    public var port: PortInfo

    public init(port: PortInfo) {
        self.port = port
    }
}

/// `update_port_status`: compute plugged (`ACTIVE`) or unplugged (`DOWN`) a VIF on `host`.
public struct UpdatePortStatusArguments: Codable, Sendable, Equatable {
    public var portID: String
    public var status: String
    public var host: String

    public init(portID: String, status: String, host: String) {
        self.portID = portID
        self.status = status
        self.host = host
    }

    enum CodingKeys: String, CodingKey {
        case portID = "port_id"
        case status, host
    }
}

/// `get_instance_metadata`: the instance owning `ip_address` on `network_id`, or nil.
public struct GetInstanceMetadataArguments: Codable, Sendable, Equatable {
    public var networkID: String
    public var ipAddress: String

    public init(networkID: String, ipAddress: String) {
        self.networkID = networkID
        self.ipAddress = ipAddress
    }

    enum CodingKeys: String, CodingKey {
        case networkID = "network_id"
        case ipAddress = "ip_address"
    }
}

public struct GetInstanceMetadataResult: Codable, Sendable, Equatable {
    public var instance: InstanceMetadata?

    public init(instance: InstanceMetadata?) {
        self.instance = instance
    }
}

/// `list_instance_metadata`: a page of instances with a port on any of `network_ids` (all
/// networks when nil), ordered by uuid after `marker`.
public struct ListInstanceMetadataArguments: Codable, Sendable, Equatable {
    public var networkIDs: [String]?
    public var marker: String?
    public var limit: Int

    public init(networkIDs: [String]? = nil, marker: String? = nil, limit: Int = 500) {
        self.networkIDs = networkIDs
        self.marker = marker
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey {
        case networkIDs = "network_ids"
        case marker, limit
    }
}

public struct ListInstanceMetadataResult: Codable, Sendable, Equatable {
    public var instances: [InstanceMetadata]

    public init(instances: [InstanceMetadata]) {
        self.instances = instances
    }
}

/// `set_instance_password`: the guest's one-time POST to `openstack/latest/password`.
public struct SetInstancePasswordArguments: Codable, Sendable, Equatable {
    public var instanceID: String
    public var password: String

    public init(instanceID: String, password: String) {
        self.instanceID = instanceID
        self.password = password
    }

    enum CodingKeys: String, CodingKey {
        case instanceID = "instance_id"
        case password
    }
}

/// `stored` is false when a password was already set (the proxy answers 409, as Nova does).
public struct SetInstancePasswordResult: Codable, Sendable, Equatable {
    public var stored: Bool

    public init(stored: Bool) {
        self.stored = stored
    }
}
