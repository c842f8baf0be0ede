/// Everything the metadata service serves about one instance, as cirrus-api knows it: the
/// source of both the EC2 and the OpenStack trees. Returned by `conductor.get_instance_metadata`
/// and `list_instance_metadata`, pushed in `metadata.instance_metadata_update`.
public struct InstanceMetadata: Codable, Sendable, Equatable {
    public var uuid: String
    /// For `i-%08x` (EC2 instance id) and `instance-%08x`.
    public var internalID: Int
    public var name: String
    /// Short hostname (`demo`); the proxy appends its configured domain.
    public var hostname: String
    public var projectID: String
    public var userID: String
    public var availabilityZone: String
    public var launchIndex: Int
    /// `r-xxxxxxxx`.
    public var reservationID: String
    public var keyName: String?
    /// The OpenSSH public key line.
    public var keyData: String?
    /// Base64, as stored by cirrus-api; nil when the server has none.
    public var userData: String?
    public var metadata: [String: String]
    public var flavorName: String
    public var imageID: String
    /// For `ami-%08x`.
    public var imageInternalID: Int
    public var kernelID: String?
    public var ramdiskID: String?
    public var securityGroups: [String]
    /// ISO 8601 creation time.
    public var createdAt: String
    /// The encrypted password posted by the guest (OpenStack `password`), if any.
    public var password: String?
    public var interfaces: [InstanceInterface]
    /// Increases on every change, so caches keep the newest copy.
    public var revision: Int

    public init(
        uuid: String, internalID: Int, name: String, hostname: String, projectID: String, userID: String,
        availabilityZone: String = "nova", launchIndex: Int = 0, reservationID: String, keyName: String? = nil,
        keyData: String? = nil, userData: String? = nil, metadata: [String: String] = [:], flavorName: String,
        imageID: String, imageInternalID: Int, kernelID: String? = nil, ramdiskID: String? = nil,
        securityGroups: [String] = ["default"], createdAt: String, password: String? = nil, interfaces: [InstanceInterface] = [],
        revision: Int = 0
    ) {
        self.uuid = uuid
        self.internalID = internalID
        self.name = name
        self.hostname = hostname
        self.projectID = projectID
        self.userID = userID
        self.availabilityZone = availabilityZone
        self.launchIndex = launchIndex
        self.reservationID = reservationID
        self.keyName = keyName
        self.keyData = keyData
        self.userData = userData
        self.metadata = metadata
        self.flavorName = flavorName
        self.imageID = imageID
        self.imageInternalID = imageInternalID
        self.kernelID = kernelID
        self.ramdiskID = ramdiskID
        self.securityGroups = securityGroups
        self.createdAt = createdAt
        self.password = password
        self.interfaces = interfaces
        self.revision = revision
    }

    enum CodingKeys: String, CodingKey {
        case uuid
        case internalID = "internal_id"
        case name, hostname
        case projectID = "project_id"
        case userID = "user_id"
        case availabilityZone = "availability_zone"
        case launchIndex = "launch_index"
        case reservationID = "reservation_id"
        case keyName = "key_name"
        case keyData = "key_data"
        case userData = "user_data"
        case metadata
        case flavorName = "flavor_name"
        case imageID = "image_id"
        case imageInternalID = "image_internal_id"
        case kernelID = "kernel_id"
        case ramdiskID = "ramdisk_id"
        case securityGroups = "security_groups"
        case createdAt = "created_at"
        case password, interfaces, revision
    }
}

/// One NIC of an instance: its port and the network with the port's subnets (no ports list).
public struct InstanceInterface: Codable, Sendable, Equatable {
    public var port: PortInfo
    public var network: NetworkInfo

    public init(port: PortInfo, network: NetworkInfo) {
        self.port = port
        self.network = network
    }
}
