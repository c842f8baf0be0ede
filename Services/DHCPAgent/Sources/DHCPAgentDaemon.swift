import Messaging
import Schemas
import ServiceKit

/// cirrus-dhcp-agent: dnsmasq in `qdhcp-<network>` namespaces for every network with a
/// DHCP subnet. Serves ``DHCPAgentAPI`` 1.0 on `dhcp_agent`, `dhcp_agent.<host>` and
/// `dhcp_agent_fanout` after restoring from its SQLite; syncs with cirrus-api at start,
/// after errors and every `[dhcp] resync_interval`; respawns dead dnsmasq.
public enum DHCPAgentDaemon {
    /// The RPC API version the agent implements.
    public static let version = DHCPAgentAPI.version

    public static var daemon: CirrusDaemon {
        let runtime = DHCPAgentRuntime()
        return CirrusDaemon(
            binary: "cirrus-dhcp-agent", topic: "dhcp_agent",
            endpoints: { try await runtime.prepare($0).endpoints },
            services: { try await runtime.prepare($0).services })
    }
}
