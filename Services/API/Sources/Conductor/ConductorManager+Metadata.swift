import Foundation
import Logging
import Messaging
import Schemas
import Storage

/// The metadata proxies' calls of ``ConductorAPI`` 1.2.
extension ConductorManager {
    func registerMetadata(_ e: inout RPCEndpoint) {
        e.register("get_instance_metadata") { (_, args: GetInstanceMetadataArguments) in
            GetInstanceMetadataResult(instance: try await self.instanceMetadata(networkID: args.networkID, ipAddress: args.ipAddress))
        }
        e.register("list_instance_metadata") { (_, args: ListInstanceMetadataArguments) in
            ListInstanceMetadataResult(instances: try await self.listInstanceMetadata(args))
        }
        e.register("set_instance_password") { (req, args: SetInstancePasswordArguments) in
            SetInstancePasswordResult(stored: try await self.setInstancePassword(args, context: req.context, logger: req.logger))
        }
    }

    /// The instance whose compute port has `ipAddress` on the network; nil otherwise (DHCP ports included).
    public func instanceMetadata(networkID: String, ipAddress: String) async throws -> InstanceMetadata? {
        try await database.read { db in
            guard let uuid = try InstanceMetadataStore.instance(db, network: networkID, ip: ipAddress) else { return nil }
            return try InstanceMetadataStore.load(db, instances: [uuid]).first
        }
    }

    /// One page of documents ordered by uuid after the marker (at most 1000).
    public func listInstanceMetadata(_ args: ListInstanceMetadataArguments) async throws -> [InstanceMetadata] {
        try await database.read { db in
            let uuids = try InstanceMetadataStore.page(db, networks: args.networkIDs, marker: args.marker, limit: args.limit)
            return try InstanceMetadataStore.load(db, instances: uuids)
        }
    }

    /// Stores the guest's password once (Nova answers 409 to a second POST).
    public func setInstancePassword(_ args: SetInstancePasswordArguments, context: Messaging.RequestContext, logger: Logger) async throws -> Bool {
        guard args.password.utf8.count <= 256 * 1024 else {
            throw InvalidArguments(remoteMessage: "set_instance_password: the password is larger than 256 KiB")
        }
        let time = now()
        let stored = try await database.write { db in
            try InstanceMetadataStore.setPassword(db, instance: args.instanceID, password: args.password, now: time)
        }
        if stored {
            logger.info("Instance password stored", metadata: ["instance.id": "\(args.instanceID)"])
            await notifier.submit([.instancesChanged([args.instanceID])], context: context)
        }
        return stored
    }
}
