/// A compute node's resources as it reports them periodically (Nova's ComputeNode).
public struct HostReport: Codable, Sendable, Equatable {
    public var host: String
    public var nodename: String
    public var hypervisorType: String
    public var hostIP: String
    public var vcpus: Int
    public var memoryMB: Int
    public var localGB: Int
    public var vcpusUsed: Int
    public var memoryMBUsed: Int
    public var localGBUsed: Int
    public var runningVMs: Int
    public var availabilityZone: String
    /// Instances the driver has on this node (lets the scheduler reconcile its claims).
    public var instanceUUIDs: [String]
    /// Free-form capabilities matched by the image-properties filter (`hw_architecture` ...).
    public var capabilities: [String: String]

    public init(
        host: String, nodename: String, hypervisorType: String, hostIP: String, vcpus: Int, memoryMB: Int, localGB: Int,
        vcpusUsed: Int, memoryMBUsed: Int, localGBUsed: Int, runningVMs: Int, availabilityZone: String = "nova",
        instanceUUIDs: [String] = [], capabilities: [String: String] = [:]
    ) {
        self.host = host
        self.nodename = nodename
        self.hypervisorType = hypervisorType
        self.hostIP = hostIP
        self.vcpus = vcpus
        self.memoryMB = memoryMB
        self.localGB = localGB
        self.vcpusUsed = vcpusUsed
        self.memoryMBUsed = memoryMBUsed
        self.localGBUsed = localGBUsed
        self.runningVMs = runningVMs
        self.availabilityZone = availabilityZone
        self.instanceUUIDs = instanceUUIDs
        self.capabilities = capabilities
    }

    enum CodingKeys: String, CodingKey {
        case host, nodename
        case hypervisorType = "hypervisor_type"
        case hostIP = "host_ip"
        case vcpus
        case memoryMB = "memory_mb"
        case localGB = "local_gb"
        case vcpusUsed = "vcpus_used"
        case memoryMBUsed = "memory_mb_used"
        case localGBUsed = "local_gb_used"
        case runningVMs = "running_vms"
        case availabilityZone = "availability_zone"
        case instanceUUIDs = "instance_uuids"
        case capabilities
    }
}
