/// IPv4 addresses as integers and CIDR networks. Pure.
public enum IPv4 {
    /// `10.0.0.5` → 0x0A000005; nil unless four decimal octets 0-255 without leading junk.
    public static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    /// 0x0A000005 → `10.0.0.5`.
    public static func format(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }
}

/// An IPv4 CIDR such as `172.24.4.0/24`.
public struct IPv4Network: Sendable, Equatable, CustomStringConvertible {
    public let network: UInt32
    public let prefixLength: Int

    /// Parses `a.b.c.d/n`; nil when malformed or when host bits are set (`10.0.0.1/24`).
    public init?(cidr: String) {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4.parse(String(parts[0])),
            parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let prefix = Int(parts[1]), (0...32).contains(prefix)
        else { return nil }
        let mask = Self.mask(prefix)
        guard address & mask == address else { return nil }
        network = address
        prefixLength = prefix
    }

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix) }

    public var mask: UInt32 { Self.mask(prefixLength) }
    public var broadcast: UInt32 { network | ~mask }
    public var netmask: String { IPv4.format(mask) }
    public var description: String { "\(IPv4.format(network))/\(prefixLength)" }

    /// Usable host addresses: all but network and broadcast (both usable in /31 and /32).
    public var hosts: ClosedRange<UInt32> {
        prefixLength >= 31 ? network...broadcast : (network + 1)...(broadcast - 1)
    }

    public func contains(_ address: UInt32) -> Bool { address & mask == network }

    /// Inside the network and neither its network nor broadcast address.
    public func isHost(_ address: UInt32) -> Bool { hosts.contains(address) }

    /// Whether the two networks share any address.
    public func overlaps(_ other: IPv4Network) -> Bool {
        network <= other.broadcast && other.network <= broadcast
    }
}
