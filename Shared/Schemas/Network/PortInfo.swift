/// A Neutron-shaped port: one MAC and its fixed IPs on one network.
public struct PortInfo: Codable, Sendable, Equatable {
    public var id: String
    public var networkID: String
    public var name: String
    /// `fa:16:3e:xx:xx:xx`.
    public var macAddress: String
    public var fixedIPs: [FixedIP]
    /// Instance uuid for `compute:nova`, `dhcp<uuid5>-<network id>` for DHCP ports.
    public var deviceID: String
    /// `compute:nova`, `network:dhcp`, or empty.
    public var deviceOwner: String
    public var bindingHost: String?
    /// `DOWN` until plugged, then `ACTIVE`.
    public var status: String
    public var adminStateUp: Bool
    public var projectID: String?
    /// Short DNS name (the instance's hostname) used for the DHCP host entry, if any.
    public var dnsName: String?
    public var revisionNumber: Int

    public init(
        id: String, networkID: String, name: String = "", macAddress: String, fixedIPs: [FixedIP], deviceID: String = "",
        deviceOwner: String = "", bindingHost: String? = nil, status: String = "DOWN", adminStateUp: Bool = true,
        projectID: String? = nil, dnsName: String? = nil, revisionNumber: Int = 0
    ) {
        self.id = id
        self.networkID = networkID
        self.name = name
        self.macAddress = macAddress
        self.fixedIPs = fixedIPs
        self.deviceID = deviceID
        self.deviceOwner = deviceOwner
        self.bindingHost = bindingHost
        self.status = status
        self.adminStateUp = adminStateUp
        self.projectID = projectID
        self.dnsName = dnsName
        self.revisionNumber = revisionNumber
    }

    enum CodingKeys: String, CodingKey {
        case id
        case networkID = "network_id"
        case name
        case macAddress = "mac_address"
        case fixedIPs = "fixed_ips"
        case deviceID = "device_id"
        case deviceOwner = "device_owner"
        case bindingHost = "binding_host"
        case status
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case dnsName = "dns_name"
        case revisionNumber = "revision_number"
    }
}

/// One address of a port.
public struct FixedIP: Codable, Sendable, Equatable, Hashable {
    public var subnetID: String
    public var ipAddress: String

    public init(subnetID: String, ipAddress: String) {
        self.subnetID = subnetID
        self.ipAddress = ipAddress
    }

    enum CodingKeys: String, CodingKey {
        case subnetID = "subnet_id"
        case ipAddress = "ip_address"
    }
}

/// `device_owner` values Cirrus uses.
public enum DeviceOwner {
    public static let compute = "compute:nova"
    public static let dhcp = "network:dhcp"
}
