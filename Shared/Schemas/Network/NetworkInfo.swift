/// A Neutron-shaped network as the DHCP agent and the metadata proxy need it: its subnets and,
/// for the DHCP agent, its ports. Sent by the conductor (`get_active_networks_info`,
/// `get_network_info`) and in `network_*_end` notifications.
public struct NetworkInfo: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var projectID: String?
    public var mtu: Int
    public var shared: Bool
    public var adminStateUp: Bool
    /// `flat` (the only type Cirrus implements).
    public var networkType: String
    /// `provider:physical_network`, mapped to an interface by `[linux_bridge]
    /// physical_interface_mappings` on compute nodes.
    public var physicalNetwork: String?
    public var subnets: [SubnetInfo]
    /// Every port of the network (instances' and DHCP ports). Empty in notifications about the
    /// network itself.
    public var ports: [PortInfo]
    /// Increases on every change of the network, its subnets or its ports.
    public var revisionNumber: Int

    public init(
        id: String, name: String, projectID: String? = nil, mtu: Int = 1500, shared: Bool = false, adminStateUp: Bool = true,
        networkType: String = "flat", physicalNetwork: String? = nil, subnets: [SubnetInfo] = [], ports: [PortInfo] = [],
        revisionNumber: Int = 0
    ) {
        self.id = id
        self.name = name
        self.projectID = projectID
        self.mtu = mtu
        self.shared = shared
        self.adminStateUp = adminStateUp
        self.networkType = networkType
        self.physicalNetwork = physicalNetwork
        self.subnets = subnets
        self.ports = ports
        self.revisionNumber = revisionNumber
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case projectID = "project_id"
        case mtu, shared
        case adminStateUp = "admin_state_up"
        case networkType = "network_type"
        case physicalNetwork = "physical_network"
        case subnets, ports
        case revisionNumber = "revision_number"
    }
}

/// An IPv4 subnet of a network.
public struct SubnetInfo: Codable, Sendable, Equatable {
    public var id: String
    public var networkID: String
    public var name: String
    public var ipVersion: Int
    /// `10.0.0.0/24`.
    public var cidr: String
    public var gatewayIP: String?
    public var allocationPools: [AllocationPool]
    public var dnsNameservers: [String]
    public var enableDHCP: Bool
    public var hostRoutes: [HostRoute]

    public init(
        id: String, networkID: String, name: String = "", ipVersion: Int = 4, cidr: String, gatewayIP: String? = nil,
        allocationPools: [AllocationPool] = [], dnsNameservers: [String] = [], enableDHCP: Bool = true, hostRoutes: [HostRoute] = []
    ) {
        self.id = id
        self.networkID = networkID
        self.name = name
        self.ipVersion = ipVersion
        self.cidr = cidr
        self.gatewayIP = gatewayIP
        self.allocationPools = allocationPools
        self.dnsNameservers = dnsNameservers
        self.enableDHCP = enableDHCP
        self.hostRoutes = hostRoutes
    }

    enum CodingKeys: String, CodingKey {
        case id
        case networkID = "network_id"
        case name
        case ipVersion = "ip_version"
        case cidr
        case gatewayIP = "gateway_ip"
        case allocationPools = "allocation_pools"
        case dnsNameservers = "dns_nameservers"
        case enableDHCP = "enable_dhcp"
        case hostRoutes = "host_routes"
    }
}

/// An inclusive range of addresses IPAM may hand out.
public struct AllocationPool: Codable, Sendable, Equatable {
    public var start: String
    public var end: String

    public init(start: String, end: String) {
        self.start = start
        self.end = end
    }
}

/// A static route announced by DHCP (option 121).
public struct HostRoute: Codable, Sendable, Equatable {
    public var destination: String
    public var nexthop: String

    public init(destination: String, nexthop: String) {
        self.destination = destination
        self.nexthop = nexthop
    }
}
