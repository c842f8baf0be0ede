import Foundation
import Schemas
import Storage

/// A row of `ports`; its addresses are rows of `ip_allocations` (``IPAllocationRecord``).
public struct PortRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ports"

    public var id: String
    public var networkID: String
    public var name: String
    public var projectID: String
    public var macAddress: String
    public var deviceID: String
    public var deviceOwner: String
    public var bindingHost: String?
    public var status: String
    public var adminStateUp: Bool
    public var dnsName: String?
    public var description: String
    public var revisionNumber: Int
    public var createdAt: Date
    public var updatedAt: Date

    /// The wire form with `fixedIPs`.
    public func info(_ fixedIPs: [FixedIP]) -> PortInfo {
        PortInfo(
            id: id, networkID: networkID, name: name, macAddress: macAddress, fixedIPs: fixedIPs, deviceID: deviceID,
            deviceOwner: deviceOwner, bindingHost: bindingHost, status: status, adminStateUp: adminStateUp,
            projectID: projectID, dnsName: dnsName, revisionNumber: revisionNumber)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case networkID = "network_id"
        case name
        case projectID = "project_id"
        case macAddress = "mac_address"
        case deviceID = "device_id"
        case deviceOwner = "device_owner"
        case bindingHost = "binding_host"
        case status
        case adminStateUp = "admin_state_up"
        case dnsName = "dns_name"
        case description
        case revisionNumber = "revision_number"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A row of `ip_allocations`: one fixed IP of a port. UNIQUE (subnet_id, ip_address) is the
/// last guard against double allocation.
public struct IPAllocationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ip_allocations"

    public var portID: String
    public var networkID: String
    public var subnetID: String
    public var ipAddress: String
    public var ipInt: Int64

    public init(portID: String, networkID: String, subnetID: String, address: UInt32) {
        self.portID = portID
        self.networkID = networkID
        self.subnetID = subnetID
        self.ipAddress = IPv4.format(address)
        self.ipInt = Int64(address)
    }

    public var fixedIP: FixedIP { FixedIP(subnetID: subnetID, ipAddress: ipAddress) }

    enum CodingKeys: String, CodingKey {
        case portID = "port_id"
        case networkID = "network_id"
        case subnetID = "subnet_id"
        case ipAddress = "ip_address"
        case ipInt = "ip_int"
    }
}
