import Messaging
import Schemas

/// A committed change that DHCP agents or metadata proxies must hear about. Produced by the
/// REST handlers, the boot path and the conductor after their transaction; sent by
/// ``NetworkNotifier``.
public enum NetworkEvent: Sendable, Equatable {
    /// The full network (subnets and ports) is loaded when sent.
    case networkCreated(String)
    case networkUpdated(String)
    case networkDeleted(String)
    case subnetCreated(SubnetInfo)
    case subnetUpdated(SubnetInfo)
    case subnetDeleted(subnetID: String, networkID: String)
    case portCreated(PortInfo)
    case portUpdated(PortInfo)
    case portDeleted(PortInfo)
    /// The scheduler chose the host: `port_update_end` only (the binding is not metadata).
    case portBound(PortInfo)
    /// Instances whose metadata changed (created, ports, password); rebuilt when sent.
    case instancesChanged([String])
    case instancesDeleted([String])

    /// The instance a compute port event concerns, if any.
    var instanceOfPort: String? {
        switch self {
        case .portCreated(let p), .portUpdated(let p), .portDeleted(let p):
            p.deviceOwner == DeviceOwner.compute && !p.deviceID.isEmpty ? p.deviceID : nil
        default: nil
        }
    }
}

/// The DHCP agents' notifications; ``DHCPAgentRPCAPI`` in production, a fake in tests.
public protocol DHCPAgentNotifying: Sendable {
    func networkCreateEnd(_ network: NetworkInfo, context: Messaging.RequestContext) async throws
    func networkUpdateEnd(_ network: NetworkInfo, context: Messaging.RequestContext) async throws
    func networkDeleteEnd(networkID: String, context: Messaging.RequestContext) async throws
    func subnetCreateEnd(_ subnet: SubnetInfo, context: Messaging.RequestContext) async throws
    func subnetUpdateEnd(_ subnet: SubnetInfo, context: Messaging.RequestContext) async throws
    func subnetDeleteEnd(subnetID: String, networkID: String, context: Messaging.RequestContext) async throws
    func portCreateEnd(_ port: PortInfo, context: Messaging.RequestContext) async throws
    func portUpdateEnd(_ port: PortInfo, context: Messaging.RequestContext) async throws
    func portDeleteEnd(_ port: PortInfo, context: Messaging.RequestContext) async throws
}

/// The metadata proxies' cache invalidations; ``MetadataRPCAPI`` in production, a fake in tests.
public protocol MetadataNotifying: Sendable {
    func instanceMetadataUpdate(_ instances: [InstanceMetadata], context: Messaging.RequestContext) async throws
    func instanceMetadataDelete(_ instanceIDs: [String], context: Messaging.RequestContext) async throws
}

extension DHCPAgentRPCAPI: DHCPAgentNotifying {}
extension MetadataRPCAPI: MetadataNotifying {}

/// Sends nothing (an API without a broker, e.g. unit tests that do not look).
public struct SilentNotifier: DHCPAgentNotifying, MetadataNotifying {
    public init() {}
    public func networkCreateEnd(_ network: NetworkInfo, context: Messaging.RequestContext) async throws {}
    public func networkUpdateEnd(_ network: NetworkInfo, context: Messaging.RequestContext) async throws {}
    public func networkDeleteEnd(networkID: String, context: Messaging.RequestContext) async throws {}
    public func subnetCreateEnd(_ subnet: SubnetInfo, context: Messaging.RequestContext) async throws {}
    public func subnetUpdateEnd(_ subnet: SubnetInfo, context: Messaging.RequestContext) async throws {}
    public func subnetDeleteEnd(subnetID: String, networkID: String, context: Messaging.RequestContext) async throws {}
    public func portCreateEnd(_ port: PortInfo, context: Messaging.RequestContext) async throws {}
    public func portUpdateEnd(_ port: PortInfo, context: Messaging.RequestContext) async throws {}
    public func portDeleteEnd(_ port: PortInfo, context: Messaging.RequestContext) async throws {}
    public func instanceMetadataUpdate(_ instances: [InstanceMetadata], context: Messaging.RequestContext) async throws {}
    public func instanceMetadataDelete(_ instanceIDs: [String], context: Messaging.RequestContext) async throws {}
}
