import Schemas

/// Renders a served network into dnsmasq's command line and files, following Neutron's
/// `Dnsmasq` driver (openstack-reference.md §3.3). Pure: the same network gives the same
/// text, so a resync that changes nothing writes nothing.
public struct DnsmasqRenderer: Sendable {
    public struct Settings: Sendable, Equatable {
        /// `[dhcp] dnsmasq_binary`.
        public var binary = "dnsmasq"
        /// `[dhcp] dns_domain`.
        public var domain = "openstacklocal"
        /// `[dhcp] dhcp_lease_duration` seconds; -1 = infinite.
        public var leaseDuration = 86400
        public var enableIsolatedMetadata = true
        public var forceMetadata = false
        /// `[dhcp] dnsmasq_dns_servers`: upstream resolvers (`--server=`); empty = `--no-resolv`.
        public var dnsServers: [String] = []
        /// `[dhcp] dnsmasq_initial_leases = all` (Neutron: one infinite lease per reservation
        /// written at every spawn) or `existing` (keep dnsmasq's own file, filtered).
        public var initialLeasesForAllHosts = false
        /// `[DEFAULT] state_path`.
        public var statePath = "/var/lib/cirrus"
        /// `[linux_bridge] physical_interface_mappings`: physical network → host interface.
        public var physicalInterfaces: [String: String] = [:]

        public init() {}

        /// Whether the DHCP port carries 169.254.169.254 and option 121 routes to it.
        public var servesMetadata: Bool { enableIsolatedMetadata || forceMetadata }
    }

    public static let metadataAddress = "169.254.169.254"
    public var settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// The whole configuration; nil when the network needs no dnsmasq or the agent has no
    /// DHCP port (with an address in a DHCP subnet) on it yet.
    public func config(for served: ServedNetwork) -> DnsmasqConfig? {
        guard served.needsDHCP, let port = served.dhcpPort,
              served.dhcpSubnets.contains(where: { served.dhcpAddress(in: $0) != nil }) else { return nil }
        let hosts = hostEntries(served)
        return DnsmasqConfig(
            interface: interface(served, dhcpPort: port), commandLine: commandLine(served, dhcpPort: port),
            files: DnsmasqFiles(host: hostFile(hosts), addnHosts: addnHostsFile(hosts), opts: optsFile(served)),
            hosts: hosts, initialLeases: settings.initialLeasesForAllHosts ? leasesFile(hosts) : "",
            keepsExistingLeases: !settings.initialLeasesForAllHosts)
    }

    /// One entry per IPv4 fixed IP in a DHCP subnet, ports in id order.
    public func hostEntries(_ served: ServedNetwork) -> [DnsmasqHostEntry] {
        let subnets = Dictionary(served.dhcpSubnets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let domainSuffix = "." + settings.domain + "."
        var out: [DnsmasqHostEntry] = []
        out.reserveCapacity(served.network.ports.count)
        for port in served.network.ports.sorted(by: { $0.id < $1.id }) {
            for ip in port.fixedIPs where subnets[ip.subnetID] != nil && IPv4Network.parse(ip.ipAddress) != nil {
                let hostname: String
                if let name = port.dnsName, !name.isEmpty { hostname = name } else {
                    hostname = "host-" + String(String.UnicodeScalarView(ip.ipAddress.unicodeScalars.map { $0 == "." ? "-" : $0 }))
                }
                out.append(DnsmasqHostEntry(
                    portID: port.id, mac: port.macAddress.lowercased(), ip: ip.ipAddress, hostname: hostname,
                    fqdn: hostname + domainSuffix))
            }
        }
        return out
    }

    /// `<mac>,<fqdn>,<ip>` per entry.
    public func hostFile(_ hosts: [DnsmasqHostEntry]) -> String {
        var s = ""
        s.reserveCapacity(hosts.count * 64)
        for h in hosts {
            s += h.mac; s += ","; s += h.fqdn; s += ","; s += h.ip; s += "\n"
        }
        return s
    }

    /// `<ip>\t<fqdn> <hostname>` per entry.
    public func addnHostsFile(_ hosts: [DnsmasqHostEntry]) -> String {
        var s = ""
        s.reserveCapacity(hosts.count * 64)
        for h in hosts {
            s += h.ip; s += "\t"; s += h.fqdn; s += " "; s += h.hostname; s += "\n"
        }
        return s
    }

    /// `0 <mac> <ip> * *` per entry: infinite leases, so dnsmasq honours renewals after a restart.
    public func leasesFile(_ hosts: [DnsmasqHostEntry]) -> String {
        var s = ""
        s.reserveCapacity(hosts.count * 40)
        for h in hosts {
            s += "0 "; s += h.mac; s += " "; s += h.ip; s += " * *\n"
        }
        return s
    }

    /// Per DHCP subnet: dns-server, classless static routes (121 and 249: metadata via the
    /// DHCP port, host routes, default route) and router.
    public func optsFile(_ served: ServedNetwork) -> String {
        var lines: [String] = []
        for subnet in served.dhcpSubnets {
            let tag = "tag:subnet-\(subnet.id)"
            let dhcpIP = served.dhcpAddress(in: subnet)
            let dns = subnet.dnsNameservers.isEmpty ? (dhcpIP.map { [$0] } ?? []) : subnet.dnsNameservers
            if !dns.isEmpty { lines.append("\(tag),option:dns-server,\(dns.joined(separator: ","))") }
            var routes: [String] = []
            if settings.servesMetadata, let dhcpIP { routes.append("\(Self.metadataAddress)/32,\(dhcpIP)") }
            for r in subnet.hostRoutes where r.destination != "\(Self.metadataAddress)/32" || !settings.servesMetadata {
                routes.append("\(r.destination),\(r.nexthop)")
            }
            let gateway = subnet.gatewayIP.flatMap { $0.isEmpty ? nil : $0 }
            if let gateway, !subnet.hostRoutes.contains(where: { $0.destination == "0.0.0.0/0" }) {
                routes.append("0.0.0.0/0,\(gateway)")
            }
            if !routes.isEmpty {
                let list = routes.joined(separator: ",")
                lines.append("\(tag),option:classless-static-route,\(list)")
                lines.append("\(tag),249,\(list)")
            }
            lines.append(gateway.map { "\(tag),option:router,\($0)" } ?? "\(tag),option:router")
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// The DHCP port's addresses in DHCP subnets (with their prefix) and the metadata address.
    public func interface(_ served: ServedNetwork, dhcpPort port: PortInfo) -> DHCPInterfaceSpec {
        var addresses: [String] = []
        for subnet in served.dhcpSubnets {
            guard let net = IPv4Network(cidr: subnet.cidr), let ip = served.dhcpAddress(in: subnet) else { continue }
            addresses.append("\(ip)/\(net.prefixLength)")
        }
        if settings.servesMetadata { addresses.append("\(Self.metadataAddress)/32") }
        return DHCPInterfaceSpec(
            networkID: served.id, portID: port.id, mac: port.macAddress.lowercased(), addresses: addresses,
            mtu: served.network.mtu, uplink: served.network.physicalNetwork.flatMap { settings.physicalInterfaces[$0] })
    }

    /// `dnsmasq …` (run inside the namespace): Neutron's flags, bound to the DHCP interface.
    public func commandLine(_ served: ServedNetwork, dhcpPort: PortInfo) -> [String] {
        let paths = DnsmasqPaths(statePath: settings.statePath, networkID: served.id)
        var argv = [
            settings.binary, "--no-hosts",
        ]
        if settings.dnsServers.isEmpty { argv.append("--no-resolv") }
        argv += [
            "--pid-file=\(paths.pid)", "--dhcp-hostsfile=\(paths.host)", "--addn-hosts=\(paths.addnHosts)",
            "--dhcp-optsfile=\(paths.opts)", "--dhcp-leasefile=\(paths.leases)", "--dhcp-match=set:ipxe,175",
            "--dhcp-userclass=set:ipxe6,iPXE", "--bind-dynamic", "--interface=\(DHCPNames.interface(dhcpPort.id))",
            "--except-interface=lo",
        ]
        let lease = settings.leaseDuration < 0 ? "infinite" : "\(settings.leaseDuration)s"
        var leaseMax = 0
        for subnet in served.dhcpSubnets {
            guard let net = IPv4Network(cidr: subnet.cidr) else { continue }
            leaseMax += net.size
            argv.append("--dhcp-range=set:subnet-\(subnet.id),\(net.networkAddress),static,\(net.netmask),\(lease)")
        }
        argv.append("--dhcp-option-force=option:mtu,\(served.network.mtu)")
        argv.append("--dhcp-lease-max=\(min(leaseMax, 1 << 24))")
        argv.append("--conf-file=/dev/null")
        argv += settings.dnsServers.map { "--server=\($0)" }
        argv.append("--domain=\(settings.domain)")
        argv.append("--user=root")
        return argv
    }
}
