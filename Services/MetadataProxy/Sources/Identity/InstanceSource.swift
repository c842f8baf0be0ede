import Messaging
import Schemas

/// Where the proxy learns about instances: the conductor (cirrus-api's database) in
/// production, a fake in tests.
public protocol InstanceSource: Sendable {
    /// The instance owning `ip` on the network, or nil.
    func instance(networkID: String, ip: String) async throws -> InstanceMetadata?
    /// One page of all instances after `marker`, ordered by uuid.
    func page(marker: String?, limit: Int) async throws -> [InstanceMetadata]
    /// Stores the guest's password; false when one was already set.
    func setPassword(instanceID: String, password: String) async throws -> Bool
}

/// ``InstanceSource`` over conductor RPC (`get_instance_metadata`, `list_instance_metadata`,
/// `set_instance_password`), with a short timeout so a dead API does not hold guests.
public struct ConductorInstanceSource: InstanceSource {
    public let conductor: ConductorRPCAPI
    public let timeout: Double
    let context = RequestContext.service("cirrus-metadata-proxy")

    public init(conductor: ConductorRPCAPI, timeout: Double = 5) {
        self.conductor = conductor
        self.timeout = timeout
    }

    public func instance(networkID: String, ip: String) async throws -> InstanceMetadata? {
        try await conductor.getInstanceMetadata(networkID: networkID, ipAddress: ip, context: context, timeout: timeout)
    }

    public func page(marker: String?, limit: Int) async throws -> [InstanceMetadata] {
        try await conductor.listInstanceMetadata(
            ListInstanceMetadataArguments(marker: marker, limit: limit), context: context, timeout: max(timeout, 30))
    }

    public func setPassword(instanceID: String, password: String) async throws -> Bool {
        try await conductor.setInstancePassword(instanceID: instanceID, password: password, context: context)
    }
}
