import Messaging

/// Client proxy for ``DHCPAgentAPI``, used by cirrus-api: every notification is a fanout cast.
public struct DHCPAgentRPCAPI: Sendable {
    public let client: RPCClient

    /// - Parameter versionCap: `[upgrade_levels] dhcp_agent`, if set.
    public init(transport: MessagingTransport, versionCap: RPCVersion? = nil) {
        client = RPCClient(transport: transport, topic: DHCPAgentAPI.topic, version: RPCVersion(1, 0), versionCap: versionCap)
    }

    public func networkCreateEnd(_ network: NetworkInfo, context: RequestContext) async throws {
        try await fanout("network_create_end", NetworkEventArguments(network: network), context)
    }

    public func networkUpdateEnd(_ network: NetworkInfo, context: RequestContext) async throws {
        try await fanout("network_update_end", NetworkEventArguments(network: network), context)
    }

    public func networkDeleteEnd(networkID: String, context: RequestContext) async throws {
        try await fanout("network_delete_end", NetworkDeleteArguments(networkID: networkID), context)
    }

    public func subnetCreateEnd(_ subnet: SubnetInfo, context: RequestContext) async throws {
        try await fanout("subnet_create_end", SubnetEventArguments(subnet: subnet), context)
    }

    public func subnetUpdateEnd(_ subnet: SubnetInfo, context: RequestContext) async throws {
        try await fanout("subnet_update_end", SubnetEventArguments(subnet: subnet), context)
    }

    public func subnetDeleteEnd(subnetID: String, networkID: String, context: RequestContext) async throws {
        try await fanout("subnet_delete_end", SubnetDeleteArguments(subnetID: subnetID, networkID: networkID), context)
    }

    public func portCreateEnd(_ port: PortInfo, context: RequestContext) async throws {
        try await fanout("port_create_end", PortEventArguments(port: port), context)
    }

    public func portUpdateEnd(_ port: PortInfo, context: RequestContext) async throws {
        try await fanout("port_update_end", PortEventArguments(port: port), context)
    }

    public func portDeleteEnd(_ port: PortInfo, context: RequestContext) async throws {
        try await fanout(
            "port_delete_end",
            PortDeleteArguments(portID: port.id, networkID: port.networkID, macAddress: port.macAddress, fixedIPs: port.fixedIPs),
            context)
    }

    private func fanout<A: Encodable & Sendable>(_ method: String, _ args: A, _ context: RequestContext) async throws {
        try await client.cast(method, args, context: context, version: RPCVersion(1, 0), fanout: true)
    }
}
