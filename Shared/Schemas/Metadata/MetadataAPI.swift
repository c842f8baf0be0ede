import Messaging

/// The `metadata` RPC API, served by every cirrus-metadata-proxy: cache invalidations fanned
/// out by cirrus-api whenever an instance or one of its ports changes. Missed casts are repaired
/// by the proxy's periodic refill (`list_instance_metadata`).
///
/// Other half: `Services/MetadataProxy`. Version history:
/// - 1.0: `instance_metadata_update`, `instance_metadata_delete`.
public enum MetadataAPI: RPCAPIDescription {
    public static let topic = "metadata"
    public static let version = RPCVersion(1, 0)
    public static let methods: [RPCMethodDescription] = [
        RPCMethodDescription("instance_metadata_update", since: RPCVersion(1, 0), .fanout, arguments: InstanceMetadataUpdateArguments.self),
        RPCMethodDescription("instance_metadata_delete", since: RPCVersion(1, 0), .fanout, arguments: InstanceMetadataDeleteArguments.self),
    ]
}

/// The new state of instances (created, changed, a port added or removed, password set).
public struct InstanceMetadataUpdateArguments: Codable, Sendable, Equatable {
    public var instances: [InstanceMetadata]

    public init(instances: [InstanceMetadata]) {
        self.instances = instances
    }
}

/// Instances that no longer exist: their cache entries go.
public struct InstanceMetadataDeleteArguments: Codable, Sendable, Equatable {
    public var instanceIDs: [String]

    public init(instanceIDs: [String]) {
        self.instanceIDs = instanceIDs
    }

    enum CodingKeys: String, CodingKey {
        case instanceIDs = "instance_ids"
    }
}

/// Client proxy for ``MetadataAPI``, used by cirrus-api.
public struct MetadataRPCAPI: Sendable {
    public let client: RPCClient

    /// - Parameter versionCap: `[upgrade_levels] metadata`, if set.
    public init(transport: MessagingTransport, versionCap: RPCVersion? = nil) {
        client = RPCClient(transport: transport, topic: MetadataAPI.topic, version: RPCVersion(1, 0), versionCap: versionCap)
    }

    public func instanceMetadataUpdate(_ instances: [InstanceMetadata], context: RequestContext) async throws {
        try await client.cast(
            "instance_metadata_update", InstanceMetadataUpdateArguments(instances: instances), context: context,
            version: RPCVersion(1, 0), fanout: true)
    }

    public func instanceMetadataDelete(_ instanceIDs: [String], context: RequestContext) async throws {
        try await client.cast(
            "instance_metadata_delete", InstanceMetadataDeleteArguments(instanceIDs: instanceIDs), context: context,
            version: RPCVersion(1, 0), fanout: true)
    }
}
