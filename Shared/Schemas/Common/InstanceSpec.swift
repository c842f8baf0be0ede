/// Everything compute needs to build an instance; sent with `build_and_run_instance`.
public struct InstanceSpec: Codable, Sendable, Equatable {
    public var uuid: String
    /// Sequential id for `instance-%08x` and EC2 ids.
    public var internalID: Int
    public var name: String
    public var hostname: String
    public var projectID: String
    public var userID: String
    public var flavor: FlavorSpec
    public var image: ImageSpec
    public var keyName: String?
    public var keyData: String?
    /// Base64 user data, as Nova stores it.
    public var userData: String?
    public var availabilityZone: String?
    public var launchIndex: Int
    public var metadata: [String: String]
    /// Network interfaces (filled by the networking issue).
    public var networks: [NetworkInterfaceSpec]

    public init(
        uuid: String, internalID: Int, name: String, hostname: String, projectID: String, userID: String,
        flavor: FlavorSpec, image: ImageSpec, keyName: String? = nil, keyData: String? = nil, userData: String? = nil,
        availabilityZone: String? = nil, launchIndex: Int = 0, metadata: [String: String] = [:],
        networks: [NetworkInterfaceSpec] = []
    ) {
        self.uuid = uuid
        self.internalID = internalID
        self.name = name
        self.hostname = hostname
        self.projectID = projectID
        self.userID = userID
        self.flavor = flavor
        self.image = image
        self.keyName = keyName
        self.keyData = keyData
        self.userData = userData
        self.availabilityZone = availabilityZone
        self.launchIndex = launchIndex
        self.metadata = metadata
        self.networks = networks
    }

    /// libvirt/Nova domain name: `instance-%08x` of the internal id.
    public var domainName: String {
        let hex = String(internalID, radix: 16)
        return "instance-" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    enum CodingKeys: String, CodingKey {
        case uuid
        case internalID = "internal_id"
        case name, hostname
        case projectID = "project_id"
        case userID = "user_id"
        case flavor, image
        case keyName = "key_name"
        case keyData = "key_data"
        case userData = "user_data"
        case availabilityZone = "availability_zone"
        case launchIndex = "launch_index"
        case metadata, networks
    }
}

/// One virtual NIC: the port it is bound to and where it plugs in.
public struct NetworkInterfaceSpec: Codable, Sendable, Equatable {
    public var portID: String
    public var networkID: String
    public var networkName: String
    public var macAddress: String
    public var fixedIPs: [String]
    public var mtu: Int
    /// `provider:physical_network` (compute 1.1): which `[linux_bridge]
    /// physical_interface_mappings` entry the bridge is bound to; nil = bridge only.
    public var physicalNetwork: String?
    /// `flat` (compute 1.1).
    public var networkType: String?

    public init(
        portID: String, networkID: String, networkName: String, macAddress: String, fixedIPs: [String], mtu: Int = 1500,
        physicalNetwork: String? = nil, networkType: String? = nil
    ) {
        self.portID = portID
        self.networkID = networkID
        self.networkName = networkName
        self.macAddress = macAddress
        self.fixedIPs = fixedIPs
        self.mtu = mtu
        self.physicalNetwork = physicalNetwork
        self.networkType = networkType
    }

    /// `tap<port id[:11]>`.
    public var tapName: String { "tap" + portID.prefix(11) }
    /// `brq<network id[:11]>`.
    public var bridgeName: String { "brq" + networkID.prefix(11) }

    enum CodingKeys: String, CodingKey {
        case portID = "port_id"
        case networkID = "network_id"
        case networkName = "network_name"
        case macAddress = "mac_address"
        case fixedIPs = "fixed_ips"
        case mtu
        case physicalNetwork = "physical_network"
        case networkType = "network_type"
    }
}
