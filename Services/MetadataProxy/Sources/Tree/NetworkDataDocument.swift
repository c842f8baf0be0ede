import Schemas

/// `network_data.json` from the instance's interfaces, as Nova's `netutils.get_network_metadata`
/// builds it: one link per port (`tap<port id[:11]>`, Linux bridge VIFs), one network per port's
/// first IPv4 subnet (`ipv4_dhcp` when the subnet has DHCP, else static with routes and DNS),
/// deduplicated DNS services.
public enum NetworkDataDocument {
    public static func build(_ i: InstanceMetadata) -> JSONText {
        guard !i.interfaces.isEmpty else { return .object([]) }
        var links: [JSONText] = []
        var networks: [JSONText] = []
        var dns: [String] = []
        for iface in i.interfaces {
            let port = iface.port
            let linkID = "tap" + String(port.id.prefix(11))
            let subnets = iface.network.subnets
            let v4 = port.fixedIPs.lazy.compactMap { ip in
                subnets.first { $0.id == ip.subnetID && $0.ipVersion == 4 }.map { (ip, $0) }
            }.first
            let dhcp = v4?.1.enableDHCP ?? false
            links.append(.object([
                ("ethernet_mac_address", .string(port.macAddress)), ("id", .string(linkID)),
                ("mtu", dhcp ? .null : .int(iface.network.mtu)), ("type", .string("bridge")), ("vif_id", .string(port.id)),
            ]))
            guard let (ip, subnet) = v4 else { continue }
            var net: [(String, JSONText)] = [("id", .string("network\(networks.count)")), ("link", .string(linkID))]
            if dhcp {
                net.append(("type", .string("ipv4_dhcp")))
            } else {
                let mask = netmask(prefix: prefixLength(subnet.cidr))
                var routes: [JSONText] = []
                if let gw = subnet.gatewayIP {
                    routes.append(.object([("network", .string("0.0.0.0")), ("netmask", .string("0.0.0.0")), ("gateway", .string(gw))]))
                }
                for r in subnet.hostRoutes {
                    let parts = r.destination.split(separator: "/")
                    routes.append(.object([
                        ("network", .string(String(parts.first ?? ""))),
                        ("netmask", .string(netmask(prefix: parts.count > 1 ? Int(parts[1]) ?? 32 : 32))),
                        ("gateway", .string(r.nexthop)),
                    ]))
                }
                net += [
                    ("type", .string("ipv4")), ("ip_address", .string(ip.ipAddress)), ("netmask", .string(mask)),
                    ("routes", .array(routes)),
                    ("services", .array(subnet.dnsNameservers.map { .object([("type", .string("dns")), ("address", .string($0))]) })),
                ]
            }
            net.append(("network_id", .string(iface.network.id)))
            networks.append(.object(net))
            for d in subnet.dnsNameservers where !dns.contains(d) { dns.append(d) }
        }
        return .object([
            ("links", .array(links)), ("networks", .array(networks)),
            ("services", .array(dns.map { .object([("type", .string("dns")), ("address", .string($0))]) })),
        ])
    }

    /// `24` from `10.0.0.0/24` (32 when absent or bad).
    static func prefixLength(_ cidr: String) -> Int {
        guard let slash = cidr.firstIndex(of: "/"), let p = Int(cidr[cidr.index(after: slash)...]), (0...32).contains(p) else { return 32 }
        return p
    }

    /// `255.255.255.0` for 24.
    static func netmask(prefix: Int) -> String {
        let p = max(0, min(32, prefix))
        let bits: UInt32 = p == 0 ? 0 : UInt32.max << (32 - UInt32(p))
        return [24, 16, 8, 0].map { String((bits >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    }
}
