/// Resources set aside on a host for one instance between `select_destinations` and the
/// moment the host's report shows the instance (Nova's Placement allocation).
public struct Claim: Sendable, Equatable, Hashable {
    public var instanceUUID: String
    public var host: String
    public var resources: Resources
    /// Seconds since 1970.
    public var createdAt: Double

    public init(instanceUUID: String, host: String, resources: Resources, createdAt: Double) {
        self.instanceUUID = instanceUUID
        self.host = host
        self.resources = resources
        self.createdAt = createdAt
    }
}
