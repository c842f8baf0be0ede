/// An IPv4 CIDR (`10.0.0.0/24`) as dnsmasq's `--dhcp-range` and the DHCP interface need it.
public struct IPv4Network: Sendable, Equatable {
    /// The address bits as given, masked to the network (`10.0.0.0`).
    public var address: UInt32
    public var prefixLength: Int

    /// Parses `a.b.c.d/n`; nil when it is not an IPv4 CIDR.
    public init?(cidr: String) {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = Self.parse(String(parts[0])), let n = Int(parts[1]), (0...32).contains(n) else {
            return nil
        }
        prefixLength = n
        address = bits & Self.mask(n)
    }

    static func mask(_ n: Int) -> UInt32 { n == 0 ? 0 : UInt32.max << UInt32(32 - n) }

    /// `255.255.255.0`.
    public var netmask: String { Self.format(Self.mask(prefixLength)) }
    /// `10.0.0.0`.
    public var networkAddress: String { Self.format(address) }
    /// Number of addresses in the network.
    public var size: Int { 1 << (32 - prefixLength) }

    /// Whether `ip` (dotted quad) is inside the network.
    public func contains(_ ip: String) -> Bool {
        guard let bits = Self.parse(ip) else { return false }
        return bits & Self.mask(prefixLength) == address
    }

    /// The dotted quad as 32 bits; nil when it is not one.
    public static func parse(_ s: String) -> UInt32? {
        let octets = s.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var out: UInt32 = 0
        for o in octets {
            guard !o.isEmpty, o.count <= 3, let v = UInt32(o), v <= 255 else { return nil }
            out = out << 8 | v
        }
        return out
    }

    static func format(_ bits: UInt32) -> String {
        "\(bits >> 24).\((bits >> 16) & 255).\((bits >> 8) & 255).\(bits & 255)"
    }
}
