import Schemas

/// Validates a subnet's addressing and fills Neutron's defaults. Pure.
public enum SubnetPlan {
    /// How the request gave the gateway: absent (default: first host), explicit null (none), or an address.
    public enum GatewayChoice: Sendable, Equatable {
        case defaulted
        case none
        case address(String)
    }

    /// The checked addressing of a subnet.
    public struct Addressing: Sendable, Equatable {
        public var cidr: String
        public var gatewayIP: String?
        public var pools: [AllocationPool]
    }

    static func invalid(_ message: String) -> APIError { APIError.badRequest("Invalid input for operation: \(message)", type: "InvalidInput") }

    /// Checks CIDR, gateway and pools; computes the default gateway (first host) and pools (the
    /// whole CIDR minus network, broadcast and gateway).
    public static func addressing(cidr: String, gateway: GatewayChoice, pools: [AllocationPool]?) throws -> Addressing {
        guard let network = IPv4Network(cidr: cidr) else {
            throw invalid("'\(cidr)' is not a valid IPv4 CIDR; give a network address and prefix such as 10.0.0.0/24 (host bits must be zero).")
        }
        guard network.prefixLength <= 30 else {
            throw invalid("subnet \(cidr) is too small: use a prefix of /30 or shorter so there is room for hosts.")
        }
        var gatewayIP: UInt32?
        switch gateway {
        case .defaulted: gatewayIP = network.hosts.lowerBound
        case .none: gatewayIP = nil
        case .address(let text):
            guard let g = IPv4.parse(text) else { throw invalid("gateway_ip '\(text)' is not an IPv4 address.") }
            guard network.isHost(g) else {
                throw invalid("gateway_ip \(text) is not a host address of subnet \(cidr) (it must be inside the CIDR, not its network or broadcast address).")
            }
            gatewayIP = g
        }
        let ranges: [ClosedRange<UInt32>]
        if let pools {
            ranges = try checkedPools(pools, network: network, gateway: gatewayIP)
        } else {
            ranges = defaultPools(network: network, gateway: gatewayIP)
        }
        return Addressing(
            cidr: network.description, gatewayIP: gatewayIP.map(IPv4.format),
            pools: ranges.map { AllocationPool(start: IPv4.format($0.lowerBound), end: IPv4.format($0.upperBound)) })
    }

    /// The hosts of the network minus the gateway, as one or two ranges.
    public static func defaultPools(network: IPv4Network, gateway: UInt32?) -> [ClosedRange<UInt32>] {
        let hosts = network.hosts
        guard let g = gateway, hosts.contains(g) else { return [hosts] }
        var out: [ClosedRange<UInt32>] = []
        if g > hosts.lowerBound { out.append(hosts.lowerBound...(g - 1)) }
        if g < hosts.upperBound { out.append((g + 1)...hosts.upperBound) }
        return out
    }

    static func checkedPools(_ pools: [AllocationPool], network: IPv4Network, gateway: UInt32?) throws -> [ClosedRange<UInt32>] {
        var ranges: [ClosedRange<UInt32>] = []
        for pool in pools {
            guard let s = IPv4.parse(pool.start), let e = IPv4.parse(pool.end) else {
                throw invalid("allocation pool \(pool.start)-\(pool.end) is not a pair of IPv4 addresses.")
            }
            guard s <= e else { throw invalid("allocation pool \(pool.start)-\(pool.end): start is after end.") }
            guard network.isHost(s), network.isHost(e) else {
                throw APIError.badRequest(
                    "The allocation pool \(pool.start)-\(pool.end) spans beyond the subnet cidr \(network) (or includes its network or broadcast address).",
                    type: "OutOfBoundsAllocationPool")
            }
            if let g = gateway, (s...e).contains(g) {
                throw APIError.conflict(
                    "Gateway ip \(IPv4.format(g)) conflicts with allocation pool \(pool.start)-\(pool.end); move the gateway or split the pool.",
                    type: "GatewayConflictWithAllocationPools")
            }
            for other in ranges where other.overlaps(s...e) {
                throw APIError.badRequest(
                    "Found overlapping allocation pools: \(pool.start)-\(pool.end) and \(IPv4.format(other.lowerBound))-\(IPv4.format(other.upperBound)).",
                    type: "OverlappingAllocationPools")
            }
            ranges.append(s...e)
        }
        return ranges
    }

    /// Checks DNS servers and host routes.
    public static func checkExtras(dnsNameservers: [String], hostRoutes: [HostRoute]) throws {
        for dns in dnsNameservers where IPv4.parse(dns) == nil {
            throw invalid("dns_nameservers entry '\(dns)' is not an IPv4 address.")
        }
        guard Set(dnsNameservers).count == dnsNameservers.count else { throw invalid("dns_nameservers has duplicates.") }
        for route in hostRoutes {
            guard IPv4Network(cidr: route.destination) != nil, IPv4.parse(route.nexthop) != nil else {
                throw invalid("host route \(route.destination) via \(route.nexthop): destination must be a CIDR and nexthop an IPv4 address.")
            }
        }
    }
}
