import Messaging
import Schemas

/// What the agent asks cirrus-api (Neutron's `DhcpPluginApi`): a protocol so tests and the
/// benchmark can stand in for the conductor.
public protocol DHCPControlPlane: Sendable {
    /// `get_active_networks_info`: every network this agent serves.
    func activeNetworks(host: String, context: RequestContext) async throws -> [NetworkInfo]
    /// `get_network_info`: one network, nil when it is gone.
    func network(_ id: String, context: RequestContext) async throws -> NetworkInfo?
    /// `create_dhcp_port` (idempotent): this agent's DHCP port on the network.
    func createDHCPPort(host: String, networkID: String, context: RequestContext) async throws -> PortInfo
    /// `release_dhcp_port`.
    func releaseDHCPPort(host: String, networkID: String, context: RequestContext) async throws
}

/// ``DHCPControlPlane`` over RPC to `conductor` (cirrus-api).
public struct ConductorDHCPControlPlane: DHCPControlPlane {
    public let conductor: ConductorRPCAPI
    /// Timeout of `get_active_networks_info` (a big answer on a big cloud).
    public let syncTimeout: Double?

    public init(conductor: ConductorRPCAPI, syncTimeout: Double? = nil) {
        self.conductor = conductor
        self.syncTimeout = syncTimeout
    }

    public func activeNetworks(host: String, context: RequestContext) async throws -> [NetworkInfo] {
        try await conductor.getActiveNetworksInfo(host: host, context: context, timeout: syncTimeout)
    }

    public func network(_ id: String, context: RequestContext) async throws -> NetworkInfo? {
        try await conductor.getNetworkInfo(networkID: id, context: context)
    }

    public func createDHCPPort(host: String, networkID: String, context: RequestContext) async throws -> PortInfo {
        try await conductor.createDHCPPort(host: host, networkID: networkID, context: context)
    }

    public func releaseDHCPPort(host: String, networkID: String, context: RequestContext) async throws {
        try await conductor.releaseDHCPPort(host: host, networkID: networkID, context: context)
    }
}
