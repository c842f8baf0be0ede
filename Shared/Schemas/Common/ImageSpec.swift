/// An image as compute needs it to fetch and verify the bytes, and as the scheduler's
/// image-properties filter reads it.
public struct ImageSpec: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// MD5 hex of the bytes (Glance's `checksum`).
    public var checksum: String?
    /// Glance's multihash: algorithm (`sha512`) and hex value.
    public var osHashAlgo: String?
    public var osHashValue: String?
    public var size: Int64?
    public var diskFormat: String
    public var containerFormat: String
    public var minDiskGB: Int
    public var minRAMMB: Int
    /// Free-form image properties (`hw_architecture`, `hypervisor_type`, `kernel_id` ...).
    public var properties: [String: String]

    public init(
        id: String, name: String, checksum: String? = nil, osHashAlgo: String? = nil, osHashValue: String? = nil,
        size: Int64? = nil, diskFormat: String = "qcow2", containerFormat: String = "bare", minDiskGB: Int = 0,
        minRAMMB: Int = 0, properties: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.checksum = checksum
        self.osHashAlgo = osHashAlgo
        self.osHashValue = osHashValue
        self.size = size
        self.diskFormat = diskFormat
        self.containerFormat = containerFormat
        self.minDiskGB = minDiskGB
        self.minRAMMB = minRAMMB
        self.properties = properties
    }

    enum CodingKeys: String, CodingKey {
        case id, name, checksum
        case osHashAlgo = "os_hash_algo"
        case osHashValue = "os_hash_value"
        case size
        case diskFormat = "disk_format"
        case containerFormat = "container_format"
        case minDiskGB = "min_disk"
        case minRAMMB = "min_ram"
        case properties
    }
}
