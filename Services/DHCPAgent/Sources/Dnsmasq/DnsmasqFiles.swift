/// The files dnsmasq re-reads on SIGHUP (`host`, `addn_hosts`, `opts`): what a reload
/// compares and writes.
public struct DnsmasqFiles: Sendable, Equatable, Codable {
    public var host: String
    public var addnHosts: String
    public var opts: String

    public init(host: String = "", addnHosts: String = "", opts: String = "") {
        self.host = host
        self.addnHosts = addnHosts
        self.opts = opts
    }
}

/// One DHCP reservation: a port's MAC and one of its addresses, with the names dnsmasq
/// gives it.
public struct DnsmasqHostEntry: Sendable, Equatable, Hashable, Codable {
    public var portID: String
    public var mac: String
    public var ip: String
    /// `host-10-0-0-5` or the port's `dns_name`.
    public var hostname: String
    /// `host-10-0-0-5.openstacklocal.`
    public var fqdn: String

    public init(portID: String, mac: String, ip: String, hostname: String, fqdn: String) {
        self.portID = portID
        self.mac = mac
        self.ip = ip
        self.hostname = hostname
        self.fqdn = fqdn
    }
}

/// What one network's dnsmasq should be: its command line (changes need a restart) and
/// its files (changes need a SIGHUP), plus the reservations (to release leases of removed
/// ones) and the initial leases file (written only when spawning).
public struct DnsmasqConfig: Sendable, Equatable {
    /// The DHCP port's interface in the namespace (a change restarts dnsmasq).
    public var interface: DHCPInterfaceSpec
    public var commandLine: [String]
    public var files: DnsmasqFiles
    public var hosts: [DnsmasqHostEntry]
    /// Neutron's initial leases file (`0 <mac> <ip> * *` per reservation).
    public var initialLeases: String
    /// Start from dnsmasq's own leases file (filtered to current reservations) instead of
    /// ``initialLeases`` (`[dhcp] dnsmasq_initial_leases = existing`).
    public var keepsExistingLeases: Bool

    public init(
        interface: DHCPInterfaceSpec, commandLine: [String], files: DnsmasqFiles, hosts: [DnsmasqHostEntry], initialLeases: String,
        keepsExistingLeases: Bool = false
    ) {
        self.keepsExistingLeases = keepsExistingLeases
        self.interface = interface
        self.commandLine = commandLine
        self.files = files
        self.hosts = hosts
        self.initialLeases = initialLeases
    }
}

/// The DHCP port's plumbing: namespace `qdhcp-<net>`, bridge `brq<net[:11]>`, veth
/// `tap<port[:11]>` (bridge end) / `ns-<port[:11]>` (namespace end) with the port's MAC and
/// addresses (`ip/prefix`, plus `169.254.169.254/32` when serving metadata).
public struct DHCPInterfaceSpec: Sendable, Equatable, Codable {
    public var networkID: String
    public var portID: String
    public var mac: String
    public var addresses: [String]
    public var mtu: Int
    /// Host interface to enslave to the bridge (`[linux_bridge] physical_interface_mappings`).
    public var uplink: String?

    public init(networkID: String, portID: String, mac: String, addresses: [String], mtu: Int, uplink: String? = nil) {
        self.networkID = networkID
        self.portID = portID
        self.mac = mac
        self.addresses = addresses
        self.mtu = mtu
        self.uplink = uplink
    }

    public var namespace: String { DHCPNames.namespace(networkID) }
    public var bridge: String { DHCPNames.bridge(networkID) }
    public var tap: String { DHCPNames.tap(portID) }
    public var name: String { DHCPNames.interface(portID) }
}

/// dnsmasq's leases file (`<expiry> <mac> <ip> <hostname> <client id>` per line).
public enum DnsmasqLeases {
    /// The lines of `existing` whose MAC and IP are still reserved: what a restarted dnsmasq
    /// keeps, so renewals of running instances are honoured without one lease per host
    /// (each lease makes every SIGHUP slower: dnsmasq matches every lease against every host).
    public static func keeping(_ existing: String?, reserved hosts: [DnsmasqHostEntry]) -> String {
        guard let existing, !existing.isEmpty else { return "" }
        let reserved = Set(hosts.map { $0.mac + " " + $0.ip })
        var out = ""
        for line in existing.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count >= 3, reserved.contains(f[1].lowercased() + " " + f[2]) else { continue }
            out += line + "\n"
        }
        return out
    }
}
