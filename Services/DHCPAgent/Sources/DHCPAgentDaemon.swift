import Messaging
import ServiceKit

/// cirrus-dhcp-agent: dnsmasq in qdhcp namespaces (with the networking issue).
/// Serves `dhcp_agent`, `dhcp_agent.<host>` and `dhcp_agent_fanout`; answers ping and reports heartbeats.
public enum DHCPAgentDaemon {
    /// The RPC API version the manager implements.
    public static let version = RPCVersion(1, 0)

    public static let daemon = CirrusDaemon(binary: "cirrus-dhcp-agent", topic: "dhcp_agent") { _ in
        [RPCEndpoint(version: version)]
    }
}
