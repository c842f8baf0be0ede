/// IP address management decisions for one IPv4 subnet (Neutron's non-pluggable IPAM). Pure:
/// the caller loads the addresses in use and inserts what was chosen in the same write
/// transaction; a UNIQUE (subnet_id, ip_address) index is the final guard.
public struct IPAM: Sendable, Equatable {
    public let network: IPv4Network
    public let gateway: UInt32?
    /// Inclusive ranges, in the order they are handed out.
    public let pools: [ClosedRange<UInt32>]

    public init(network: IPv4Network, gateway: UInt32?, pools: [ClosedRange<UInt32>]) {
        self.network = network
        self.gateway = gateway
        self.pools = pools
    }

    /// The subnet's IPAM from its stored CIDR, gateway and pools; nil when they are malformed.
    public init?(cidr: String, gatewayIP: String?, pools: [(start: String, end: String)]) {
        guard let network = IPv4Network(cidr: cidr) else { return nil }
        var ranges: [ClosedRange<UInt32>] = []
        for pool in pools {
            guard let s = IPv4.parse(pool.start), let e = IPv4.parse(pool.end), s <= e else { return nil }
            ranges.append(s...e)
        }
        self.init(network: network, gateway: gatewayIP.flatMap(IPv4.parse), pools: ranges)
    }

    /// The first free address of the pools (in order): never the gateway, the network or the
    /// broadcast address, never one in `used`. Nil when the pools are exhausted.
    public func nextFree(excluding used: Set<UInt32>) -> UInt32? {
        for pool in pools {
            var candidate = pool.lowerBound
            while true {
                if candidate != gateway, network.isHost(candidate), !used.contains(candidate) { return candidate }
                if candidate == pool.upperBound { break }
                candidate += 1
            }
        }
        return nil
    }

    /// `count` addresses (as ``nextFree(excluding:)`` one after the other), or nil when fewer are free.
    public func allocate(_ count: Int, excluding used: Set<UInt32>) -> [UInt32]? {
        var taken = used
        var out: [UInt32] = []
        for _ in 0..<count {
            guard let next = nextFree(excluding: taken) else { return nil }
            taken.insert(next)
            out.append(next)
        }
        return out
    }

    /// Checks an explicitly requested address. Neutron allows one outside the pools but inside
    /// the CIDR; never the gateway, the network or broadcast address, or one in use.
    public func validateExplicit(_ address: UInt32, used: Set<UInt32>, subnetID: String) throws(IPAMError) {
        guard network.isHost(address) else { throw .invalidForSubnet(IPv4.format(address), subnetID) }
        guard address != gateway else { throw .gateway(IPv4.format(address), subnetID) }
        guard !used.contains(address) else { throw .alreadyAllocated(IPv4.format(address), subnetID) }
    }

    /// How many addresses the pools can still hand out (for error messages and tests).
    public func freeCount(excluding used: Set<UInt32>) -> Int {
        var n = 0
        for pool in pools {
            for a in pool where a != gateway && network.isHost(a) && !used.contains(a) { n += 1 }
        }
        return n
    }
}

/// Why an address could not be given, with Neutron's exception names.
public enum IPAMError: Error, Sendable, Equatable {
    case exhausted(subnetID: String)
    case invalidForSubnet(String, String)
    case gateway(String, String)
    case alreadyAllocated(String, String)

    /// The REST error (Neutron's status and type).
    public var apiError: APIError {
        switch self {
        case .exhausted(let subnet):
            APIError.conflict(
                "No more IP addresses available on subnet \(subnet): its allocation pools are exhausted; free a port or add a pool.",
                type: "IpAddressGenerationFailure")
        case .invalidForSubnet(let ip, let subnet):
            APIError.badRequest("IP address \(ip) is not a valid IP for subnet \(subnet): it must be a host address inside the subnet's CIDR.", type: "InvalidIpForSubnet")
        case .gateway(let ip, let subnet):
            APIError.conflict("IP address \(ip) is the gateway of subnet \(subnet) and cannot be allocated to a port.", type: "IpAddressAlreadyAllocated")
        case .alreadyAllocated(let ip, let subnet):
            APIError.conflict("IP address \(ip) already allocated in subnet \(subnet).", type: "IpAddressAlreadyAllocated")
        }
    }
}
