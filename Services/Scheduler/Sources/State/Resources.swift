/// An amount of the resources the scheduler places: vCPUs, RAM, disk and an instance count.
public struct Resources: Sendable, Equatable, Hashable {
    public var vcpus: Int
    public var memoryMB: Int
    public var diskGB: Int
    /// Instances this amount stands for (1 per claim).
    public var instances: Int

    public init(vcpus: Int = 0, memoryMB: Int = 0, diskGB: Int = 0, instances: Int = 0) {
        self.vcpus = vcpus
        self.memoryMB = memoryMB
        self.diskGB = diskGB
        self.instances = instances
    }

    public static let zero = Resources()

    public static func + (a: Resources, b: Resources) -> Resources {
        Resources(vcpus: a.vcpus + b.vcpus, memoryMB: a.memoryMB + b.memoryMB, diskGB: a.diskGB + b.diskGB, instances: a.instances + b.instances)
    }

    public static func - (a: Resources, b: Resources) -> Resources {
        Resources(vcpus: a.vcpus - b.vcpus, memoryMB: a.memoryMB - b.memoryMB, diskGB: a.diskGB - b.diskGB, instances: a.instances - b.instances)
    }
}
