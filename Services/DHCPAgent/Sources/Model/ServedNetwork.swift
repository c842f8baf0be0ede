import Schemas

/// One network the agent serves: the network as cirrus-api last described it (subnets and
/// ports) and the agent's own DHCP port on it. Persisted in the agent's SQLite.
public struct ServedNetwork: Sendable, Equatable, Codable {
    public var network: NetworkInfo
    /// nil until `create_dhcp_port` answered.
    public var dhcpPort: PortInfo?

    public init(network: NetworkInfo, dhcpPort: PortInfo? = nil) {
        self.network = network
        self.dhcpPort = dhcpPort
    }

    public var id: String { network.id }

    /// IPv4 subnets with DHCP enabled and a parseable CIDR.
    public var dhcpSubnets: [SubnetInfo] {
        network.subnets.filter { $0.enableDHCP && $0.ipVersion == 4 && IPv4Network(cidr: $0.cidr) != nil }
    }

    /// Whether the agent should run dnsmasq for it (Neutron: admin up and a DHCP subnet).
    public var needsDHCP: Bool { network.adminStateUp && !dhcpSubnets.isEmpty }

    /// The DHCP port's address in `subnet`, if it has one.
    public func dhcpAddress(in subnet: SubnetInfo) -> String? {
        dhcpPort?.fixedIPs.first { $0.subnetID == subnet.id }?.ipAddress
    }
}
