import Logging
import Messaging
import Schemas

/// The server half of ``MetadataAPI`` 1.0 (client: `MetadataRPCAPI` in cirrus-api): fanout
/// cache updates and deletions. Older revisions are ignored, so replays and reordering are safe.
public struct MetadataManager: Sendable {
    public static let version = MetadataAPI.version

    public let resolver: InstanceResolver

    public init(resolver: InstanceResolver) {
        self.resolver = resolver
    }

    public func endpoint() -> RPCEndpoint {
        var e = RPCEndpoint(version: Self.version)
        let resolver = self.resolver
        e.register("instance_metadata_update") { (req: RPCRequest, args: InstanceMetadataUpdateArguments) in
            await resolver.apply(args.instances)
            req.logger.debug("Instance metadata updated", metadata: ["instances": "\(args.instances.map(\.uuid))"])
        }
        e.register("instance_metadata_delete") { (req: RPCRequest, args: InstanceMetadataDeleteArguments) in
            await resolver.delete(args.instanceIDs)
            req.logger.debug("Instance metadata deleted", metadata: ["instances": "\(args.instanceIDs)"])
        }
        return e
    }
}
