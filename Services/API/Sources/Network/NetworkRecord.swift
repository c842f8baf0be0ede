import Foundation
import Schemas
import Storage

/// A row of `networks`: a flat provider network (Neutron's network + provider extension).
public struct NetworkRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "networks"

    public var id: String
    public var name: String
    public var projectID: String
    public var networkType: String
    public var physicalNetwork: String?
    public var mtu: Int
    public var shared: Bool
    public var adminStateUp: Bool
    public var status: String
    public var description: String
    public var revisionNumber: Int
    public var createdAt: Date
    public var updatedAt: Date

    /// Visible to `auth`: its own project's, shared ones, everything for admins.
    public func isVisible(to auth: AuthContext) -> Bool { auth.isAdmin || shared || projectID == auth.projectID }

    /// The wire form, with the given subnets and ports.
    public func info(subnets: [SubnetInfo], ports: [PortInfo]) -> NetworkInfo {
        NetworkInfo(
            id: id, name: name, projectID: projectID, mtu: mtu, shared: shared, adminStateUp: adminStateUp,
            networkType: networkType, physicalNetwork: physicalNetwork, subnets: subnets, ports: ports,
            revisionNumber: revisionNumber)
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case projectID = "project_id"
        case networkType = "network_type"
        case physicalNetwork = "physical_network"
        case mtu, shared
        case adminStateUp = "admin_state_up"
        case status, description
        case revisionNumber = "revision_number"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A row of `subnets`: an IPv4 CIDR of a network with its pools and DHCP options.
public struct SubnetRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "subnets"

    public var id: String
    public var networkID: String
    public var name: String
    public var projectID: String
    public var ipVersion: Int
    public var cidr: String
    public var gatewayIP: String?
    public var allocationPools: [AllocationPool]
    public var dnsNameservers: [String]
    public var hostRoutes: [HostRoute]
    public var enableDHCP: Bool
    public var description: String
    public var revisionNumber: Int
    public var createdAt: Date
    public var updatedAt: Date

    public var info: SubnetInfo {
        SubnetInfo(
            id: id, networkID: networkID, name: name, ipVersion: ipVersion, cidr: cidr, gatewayIP: gatewayIP,
            allocationPools: allocationPools, dnsNameservers: dnsNameservers, enableDHCP: enableDHCP, hostRoutes: hostRoutes)
    }

    /// The IPAM over this subnet's addressing (nil only if the stored row is corrupt).
    public var ipam: IPAM? {
        IPAM(cidr: cidr, gatewayIP: gatewayIP, pools: allocationPools.map { ($0.start, $0.end) })
    }

    enum CodingKeys: String, CodingKey {
        case id
        case networkID = "network_id"
        case name
        case projectID = "project_id"
        case ipVersion = "ip_version"
        case cidr
        case gatewayIP = "gateway_ip"
        case allocationPools = "allocation_pools"
        case dnsNameservers = "dns_nameservers"
        case hostRoutes = "host_routes"
        case enableDHCP = "enable_dhcp"
        case description
        case revisionNumber = "revision_number"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
