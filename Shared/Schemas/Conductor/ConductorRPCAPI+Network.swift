import Messaging

/// The 1.2 networking and metadata methods of ``ConductorRPCAPI``.
extension ConductorRPCAPI {
    /// Every network the DHCP agent on `host` serves (Neutron's `get_active_networks_info`).
    public func getActiveNetworksInfo(host: String, context: RequestContext, timeout: Double? = nil) async throws -> [NetworkInfo] {
        let r: GetActiveNetworksResult = try await client.prepare(timeout: timeout).call(
            "get_active_networks_info", GetActiveNetworksArguments(host: host), context: context, version: RPCVersion(1, 2))
        return r.networks
    }

    /// One network with subnets and ports; nil when it no longer exists.
    public func getNetworkInfo(networkID: String, context: RequestContext) async throws -> NetworkInfo? {
        let r: GetNetworkInfoResult = try await client.call(
            "get_network_info", GetNetworkInfoArguments(networkID: networkID), context: context, version: RPCVersion(1, 2))
        return r.network
    }

    /// The DHCP port of `host` on the network, created (with an address) if missing.
    public func createDHCPPort(host: String, networkID: String, context: RequestContext) async throws -> PortInfo {
        let r: DHCPPortResult = try await client.call(
            "create_dhcp_port", DHCPPortArguments(host: host, networkID: networkID), context: context, version: RPCVersion(1, 2))
        return r.port
    }

    /// Deletes the DHCP port of `host` on the network (the agent stopped serving it).
    public func releaseDHCPPort(host: String, networkID: String, context: RequestContext) async throws {
        let _: EmptyResult = try await client.call(
            "release_dhcp_port", DHCPPortArguments(host: host, networkID: networkID), context: context, version: RPCVersion(1, 2))
    }

    /// Compute plugged (`ACTIVE`) or unplugged (`DOWN`) a port (durable cast).
    public func updatePortStatus(portID: String, status: String, host: String, context: RequestContext) async throws {
        try await client.cast(
            "update_port_status", UpdatePortStatusArguments(portID: portID, status: status, host: host), context: context,
            version: RPCVersion(1, 2))
    }

    /// The instance owning `ipAddress` on the network, or nil.
    public func getInstanceMetadata(networkID: String, ipAddress: String, context: RequestContext, timeout: Double? = nil) async throws -> InstanceMetadata? {
        let r: GetInstanceMetadataResult = try await client.prepare(timeout: timeout).call(
            "get_instance_metadata", GetInstanceMetadataArguments(networkID: networkID, ipAddress: ipAddress), context: context,
            version: RPCVersion(1, 2))
        return r.instance
    }

    /// One page of instances on the given networks (all when nil), ordered by uuid after `marker`.
    public func listInstanceMetadata(_ args: ListInstanceMetadataArguments, context: RequestContext, timeout: Double? = nil) async throws -> [InstanceMetadata] {
        let r: ListInstanceMetadataResult = try await client.prepare(timeout: timeout).call(
            "list_instance_metadata", args, context: context, version: RPCVersion(1, 2))
        return r.instances
    }

    /// Stores the guest's password; false when one was already set.
    public func setInstancePassword(instanceID: String, password: String, context: RequestContext) async throws -> Bool {
        let r: SetInstancePasswordResult = try await client.call(
            "set_instance_password", SetInstancePasswordArguments(instanceID: instanceID, password: password), context: context,
            version: RPCVersion(1, 2))
        return r.stored
    }
}
