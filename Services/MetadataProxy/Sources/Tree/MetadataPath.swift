/// A request path reduced the way Nova reduces it (`posixpath.normpath` after percent
/// decoding): empty and `.` segments dropped, `..` collapsed (never above the root), so
/// trailing slashes do not matter.
public struct MetadataPath: Sendable, Equatable {
    public var segments: [String]

    public init(segments: [String]) {
        self.segments = segments
    }

    /// Parses the request target (`/latest/meta-data/?x=1`); nil when it is not a valid
    /// percent-encoded UTF-8 path (answered 400).
    public init?(target: String) {
        var raw = Substring(target)
        if let q = raw.firstIndex(where: { $0 == "?" || $0 == "#" }) { raw = raw[..<q] }
        guard let decoded = Self.percentDecode(raw) else { return nil }
        var out: [String] = []
        for part in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !out.isEmpty { out.removeLast() }
            default: out.append(String(part))
            }
        }
        segments = out
    }

    /// `a/b/c`, no leading or trailing slash.
    public var joined: String { segments.joined(separator: "/") }

    static func percentDecode(_ s: Substring) -> String? {
        guard s.contains("%") else {
            return s.utf8.contains(0) ? nil : String(s)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "%") {
                guard let h = it.next(), let l = it.next(), let hv = hex(h), let lv = hex(l) else { return nil }
                bytes.append(hv << 4 | lv)
            } else {
                bytes.append(b)
            }
        }
        if bytes.contains(0) { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
