/// An RPC API version `major.minor[.revision]`, compared by oslo's rule: compatible when the
/// major is the same and the requested minor (then revision) is not above the implemented one.
public struct RPCVersion: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var major: Int
    public var minor: Int
    public var revision: Int

    public init(_ major: Int, _ minor: Int, _ revision: Int = 0) {
        self.major = major
        self.minor = minor
        self.revision = revision
    }

    /// Parses `"1"`, `"1.3"` or `"1.3.2"`; nil for anything else.
    public init?(_ text: String) {
        if let v = Self.digitsAndDots(text) {
            self = v
            return
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var nums: [Int] = []
        for p in parts {
            guard let n = Int(p), n >= 0, !p.isEmpty, p.allSatisfy(\.isASCII) else { return nil }
            nums.append(n)
        }
        self.init(nums[0], nums.count > 1 ? nums[1] : 0, nums.count > 2 ? nums[2] : 0)
    }

    /// The usual spelling, plain digits and dots, read without splitting; nil for anything
    /// else (signs, spaces, overflow), which the general parser above decides.
    private static func digitsAndDots(_ text: String) -> RPCVersion? {
        var parts = (0, 0, 0)
        var index = 0
        var digits = 0
        var value = 0
        for b in text.utf8 {
            if b == UInt8(ascii: ".") {
                guard digits > 0, index < 2 else { return nil }
                if index == 0 { parts.0 = value } else { parts.1 = value }
                index += 1
                digits = 0
                value = 0
                continue
            }
            guard b >= 0x30, b <= 0x39, digits < 18 else { return nil }
            value = value * 10 + Int(b - 0x30)
            digits += 1
        }
        guard digits > 0 else { return nil }
        switch index {
        case 0: parts.0 = value
        case 1: parts.1 = value
        default: parts.2 = value
        }
        return RPCVersion(parts.0, parts.1, parts.2)
    }

    public var description: String {
        revision == 0 ? "\(major).\(minor)" : "\(major).\(minor).\(revision)"
    }

    /// Whether a server implementing `self` can serve a request for `requested`.
    public func canServe(_ requested: RPCVersion) -> Bool {
        guard requested.major == major else { return false }
        if requested.minor != minor { return requested.minor < minor }
        return requested.revision <= revision
    }

    public static func < (a: RPCVersion, b: RPCVersion) -> Bool {
        (a.major, a.minor, a.revision) < (b.major, b.minor, b.revision)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let v = RPCVersion(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(s)' is not a version like 1.3")
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
