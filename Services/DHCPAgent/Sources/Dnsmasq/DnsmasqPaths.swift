/// Where one network's dnsmasq files live: `<state_path>/dhcp/<network id>/` with `host`,
/// `addn_hosts`, `opts`, `leases`, `pid` (Neutron's layout), and the names of its namespace
/// and links.
public struct DnsmasqPaths: Sendable, Equatable {
    public var directory: String

    public init(statePath: String, networkID: String) {
        directory = statePath + "/dhcp/" + networkID
    }

    public var host: String { directory + "/host" }
    public var addnHosts: String { directory + "/addn_hosts" }
    public var opts: String { directory + "/opts" }
    public var leases: String { directory + "/leases" }
    public var pid: String { directory + "/pid" }
}

/// The namespace and link names of a network's DHCP port (Neutron's veth naming).
public enum DHCPNames {
    /// `qdhcp-<network id>`.
    public static func namespace(_ networkID: String) -> String { "qdhcp-" + networkID }
    /// `brq<network id[:11]>` (the same bridge compute plugs instances into).
    public static func bridge(_ networkID: String) -> String { "brq" + networkID.prefix(11) }
    /// `ns-<port id[:11]>`: the namespace end of the DHCP port's veth.
    public static func interface(_ portID: String) -> String { "ns-" + portID.prefix(11) }
    /// `tap<port id[:11]>`: the bridge end.
    public static func tap(_ portID: String) -> String { "tap" + portID.prefix(11) }
}
