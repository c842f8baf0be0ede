/// A flavor as carried in requests to the scheduler and compute.
public struct FlavorSpec: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var vcpus: Int
    public var memoryMB: Int
    public var rootGB: Int
    public var ephemeralGB: Int
    public var swapMB: Int
    public var extraSpecs: [String: String]

    public init(id: String, name: String, vcpus: Int, memoryMB: Int, rootGB: Int, ephemeralGB: Int = 0, swapMB: Int = 0, extraSpecs: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.vcpus = vcpus
        self.memoryMB = memoryMB
        self.rootGB = rootGB
        self.ephemeralGB = ephemeralGB
        self.swapMB = swapMB
        self.extraSpecs = extraSpecs
    }

    /// Disk the flavor needs on the host (root + ephemeral), GB.
    public var diskGB: Int { rootGB + ephemeralGB }

    enum CodingKeys: String, CodingKey {
        case id, name, vcpus
        case memoryMB = "memory_mb"
        case rootGB = "root_gb"
        case ephemeralGB = "ephemeral_gb"
        case swapMB = "swap_mb"
        case extraSpecs = "extra_specs"
    }
}
