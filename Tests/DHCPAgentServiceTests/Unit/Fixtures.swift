import DHCPAgentService
import Schemas

/// Small networks for the unit tests.
enum Fixture {
    static let net = "4f2a5c1e-0000-4000-8000-000000000001"
    static let subnet = "5a6b7c8d-0000-4000-8000-000000000002"
    static let dhcpPortID = "d1c2b3a4-e5f6-4000-8000-000000000003"

    static func subnetInfo(cidr: String = "10.0.0.0/24", gateway: String? = "10.0.0.1", id: String = subnet) -> SubnetInfo {
        SubnetInfo(id: id, networkID: net, cidr: cidr, gatewayIP: gateway)
    }

    static func port(_ n: Int, ip: String? = nil, revision: Int = 1, dnsName: String? = nil) -> PortInfo {
        PortInfo(
            id: String(format: "%08x-0000-4000-8000-%012x", n, n), networkID: net, macAddress: String(format: "fa:16:3e:00:%02x:%02x", n / 256, n % 256),
            fixedIPs: [FixedIP(subnetID: subnet, ipAddress: ip ?? "10.0.0.\(n + 10)")], deviceOwner: DeviceOwner.compute,
            dnsName: dnsName, revisionNumber: revision)
    }

    static let dhcpPort = PortInfo(
        id: dhcpPortID, networkID: net, macAddress: "fa:16:3e:dd:dd:dd",
        fixedIPs: [FixedIP(subnetID: subnet, ipAddress: "10.0.0.2")], deviceOwner: DeviceOwner.dhcp, revisionNumber: 1)

    static func network(ports: [PortInfo] = [], subnets: [SubnetInfo] = [subnetInfo()], revision: Int = 1) -> NetworkInfo {
        NetworkInfo(id: net, name: "public", physicalNetwork: "public", subnets: subnets, ports: ports + [dhcpPort], revisionNumber: revision)
    }

    static func served(ports: [PortInfo] = [], subnets: [SubnetInfo] = [subnetInfo()]) -> ServedNetwork {
        ServedNetwork(network: network(ports: ports, subnets: subnets), dhcpPort: dhcpPort)
    }

    static func settings() -> DnsmasqRenderer.Settings {
        var s = DnsmasqRenderer.Settings()
        s.statePath = "/state"
        return s
    }
}
