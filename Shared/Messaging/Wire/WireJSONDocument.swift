import Foundation

/// The state behind one ``WireJSONDecoder`` run: the parsed nodes, the bytes they point
/// into, and the coding paths handed out. Values are read the way Foundation's JSONDecoder
/// reads them, or not at all (``WireJSONFallback``). One run uses it, on one thread, never
/// inside another access to the same property: the properties skip the runtime exclusivity
/// checks.
final class WireJSONDocument {
    @exclusivity(unchecked) private(set) var nodes: [WireJSONNode]
    @exclusivity(unchecked) private(set) var base: UnsafePointer<UInt8>
    @exclusivity(unchecked) private var ownedCopy: UnsafeMutablePointer<UInt8>?
    private let byteCount: Int
    /// Set whenever the run throws ``WireJSONFallback`` (even if a type catches it, its next
    /// steps may differ from Foundation's) and by the non-throwing container calls
    /// (`contains`, `allKeys`) when their answer may differ; the run then falls back.
    @exclusivity(unchecked) var failed = false
    /// Key comparisons left before a run gives up (no quadratic lookups on odd access orders).
    @exclusivity(unchecked) private var budget: Int
    /// Coding paths as a tree: entry `i` is `pathKeys[i]` below `pathParents[i]` (-1: root).
    @exclusivity(unchecked) private var pathParents: [Int32] = []
    @exclusivity(unchecked) private var pathKeys: [any CodingKey] = []

    init(nodes: [WireJSONNode], base: UnsafePointer<UInt8>, count: Int) {
        self.nodes = nodes
        self.base = base
        byteCount = count
        budget = 16 * nodes.count + 4096
    }

    deinit { ownedCopy?.deallocate() }

    /// Copies the bytes when a decoder or container outlived the run (Foundation does too).
    func detach() {
        guard ownedCopy == nil else { return }
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(byteCount, 1))
        copy.initialize(from: base, count: byteCount)
        ownedCopy = copy
        base = UnsafePointer(copy)
    }

    /// Marks the run failed; what the lean decoder throws.
    func fail() -> WireJSONFallback {
        failed = true
        return WireJSONFallback()
    }

    var nullNode: Int32 { Int32(nodes.count - 1) }

    func kind(_ node: Int32) -> WireJSONNode.Kind { nodes[Int(node)].kind }

    // MARK: Coding paths

    func path(_ parent: Int32, _ key: some CodingKey) -> Int32 {
        pathParents.append(parent)
        pathKeys.append(key)
        return Int32(pathKeys.count - 1)
    }

    func codingPath(_ path: Int32) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        var p = path
        while p >= 0 {
            keys.append(pathKeys[Int(p)])
            p = pathParents[Int(p)]
        }
        return keys.reversed()
    }

    // MARK: Values

    /// Decodes `T` from `node` (path: where it lies). Foundation special-cases `Date`, `Data`,
    /// `URL` and `Decimal`; those fall back. Plain scalars skip the `Decoder` round trip.
    func decode<T: Decodable>(_ type: T.Type, at node: Int32, path: () -> Int32) throws -> T {
        if T.self == String.self { return unsafeBitCast(try string(node), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try integer(node, as: Int.self), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try bool(node), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try double(node), to: T.self) }
        if T.self == Int64.self { return unsafeBitCast(try integer(node, as: Int64.self), to: T.self) }
        if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self {
            throw fail()
        }
        do {
            return try T(from: WireJSONValueDecoder(document: self, node: node, path: path()))
        } catch {
            failed = true  // the type may catch it (`try?`); Foundation's error would differ
            throw error
        }
    }

    func bool(_ node: Int32) throws -> Bool {
        switch kind(node) {
        case .true: return true
        case .false: return false
        default: throw fail()
        }
    }

    /// A string's value. UTF-8 is validated only when the raw bytes are not ASCII (what
    /// escapes produce is valid); invalid UTF-8 falls back.
    func string(_ node: Int32) throws -> String {
        let n = nodes[Int(node)]
        guard n.kind == .string else { throw fail() }
        let raw = UnsafeBufferPointer(start: base + Int(n.start), count: Int(n.end - n.start))
        if !n.escapedOrFractional {
            if !n.nonASCII { return String(decoding: raw, as: UTF8.self) }
            guard let s = String(validating: raw, as: UTF8.self) else { throw fail() }
            return s
        }
        let s = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(raw.count, 1)) { out -> String? in
            let unescaped = UnsafeBufferPointer(rebasing: out[..<Self.unescape(raw, into: out)])
            return n.nonASCII ? String(validating: unescaped, as: UTF8.self) : String(decoding: unescaped, as: UTF8.self)
        }
        guard let s else { throw fail() }
        return s
    }

    /// A plain integer token (no fraction, exponent or `-0`) that fits `T`; Foundation reads
    /// `2.0` or `1e3` into an Int through a Double, which is left to it.
    func integer<T: FixedWidthInteger>(_ node: Int32, as _: T.Type) throws -> T {
        let n = nodes[Int(node)]
        guard n.kind == .number, !n.escapedOrFractional else { throw fail() }
        var i = Int(n.start)
        let end = Int(n.end)
        let negative = base[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var magnitude: UInt64 = 0
        while i < end {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(base[i] &- 0x30))
            guard !o1, !o2 else { throw fail() }
            magnitude = sum
            i += 1
        }
        if !negative {
            guard let v = T(exactly: magnitude) else { throw fail() }
            return v
        }
        guard magnitude != 0, magnitude <= UInt64(1) << 63, let v = T(exactly: Int64(bitPattern: 0 &- magnitude)) else {
            throw fail()
        }
        return v
    }

    /// A number as Foundation reads it (strtod on the token, which Swift's parser matches;
    /// both round correctly). Results Foundation rejects (overflow, underflow to zero) and
    /// subnormals fall back; so does zero with an exponent (`0e5`: Foundation's check for a
    /// true zero reads short tokens from the end and may see the exponent's digits).
    func double(_ node: Int32) throws -> Double {
        let token = try numberToken(node)
        guard let v = Double(token), v.isNormal || (v == 0 && isPlainZero(token)) else { throw fail() }
        return v
    }

    func float(_ node: Int32) throws -> Float {
        let token = try numberToken(node)
        guard let v = Float(token), v.isNormal || (v == 0 && isPlainZero(token)) else { throw fail() }
        return v
    }

    private func numberToken(_ node: Int32) throws -> String {
        let n = nodes[Int(node)]
        guard n.kind == .number else { throw fail() }
        return String(decoding: UnsafeBufferPointer(start: base + Int(n.start), count: Int(n.end - n.start)), as: UTF8.self)
    }

    /// Only zeros (and a sign and a point), no exponent.
    private func isPlainZero(_ token: String) -> Bool {
        token.utf8.allSatisfy { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// Writes the unescaped content of a string the parser checked into `out` (at least as
    /// long as `raw`); returns the length written.
    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var i = 0, o = 0
        func hex4() -> UInt32 {
            var v: UInt32 = 0
            for k in 0..<4 { v = v << 4 | (WireJSONTree.hexValue(raw[i + k]) ?? 0) }
            i += 4
            return v
        }
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\"), i + 1 < raw.count else {
                out[o] = b
                o += 1
                i += 1
                continue
            }
            let e = raw[i + 1]
            i += 2
            var scalar: UInt32
            switch e {
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "u"):
                scalar = hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= raw.count {
                    i += 2  // the parser checked that `\u` and a low surrogate follow
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex4() - 0xDC00)
                }
            default: scalar = UInt32(e)  // " \ /
            }
            for u in UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}")! {
                out[o] = u
                o += 1
            }
        }
        return o
    }

    // MARK: Objects

    enum Lookup {
        case found(Int32)
        case missing
        /// Not found, but Foundation might have found it (a non-ASCII key can be canonically
        /// equal to an ASCII one) or the lookup budget ran out.
        case unsure
    }

    /// The value node of `key` in `object`. Starts at the member after the last one found,
    /// so keys read in document order cost one comparison each.
    func lookup(_ key: some CodingKey, in object: Int32) -> Lookup {
        let o = nodes[Int(object)]
        guard o.count > 0 else { return missing(key) }
        var name = key.stringValue
        var compared: Int32 = 0
        let found: Int32? = name.withUTF8 { want in
            var k = o.end
            while compared < o.count {
                compared += 1
                let n = nodes[Int(k)]
                let value = k + 1
                var after = nodes[Int(value)].next
                if after == o.next { after = object + 1 }
                if Int(n.end - n.start) == want.count,
                    want.count == 0 || memcmp(base + Int(n.start), want.baseAddress!, want.count) == 0
                {
                    nodes[Int(object)].end = after
                    return value
                }
                k = after
            }
            return nil
        }
        budget -= Int(compared)
        if budget < 0 { return .unsure }
        if let found { return .found(found) }
        return missing(key)
    }

    private func missing(_ key: some CodingKey) -> Lookup {
        key.stringValue.utf8.allSatisfy { $0 < 0x80 } ? .missing : .unsure
    }

    /// The members of `object` as `Key`s (document order; Foundation's is unspecified).
    /// Dictionaries with Int keys read `"01"` as 1 (and may merge keys), so a key with an
    /// int value must be written as that int.
    func allKeys<Key: CodingKey>(_ object: Int32, as _: Key.Type) -> [Key] {
        let o = nodes[Int(object)]
        var keys: [Key] = []
        keys.reserveCapacity(Int(o.count))
        var k = object + 1
        while k < o.next {
            let n = nodes[Int(k)]
            let name = String(decoding: UnsafeBufferPointer(start: base + Int(n.start), count: Int(n.end - n.start)), as: UTF8.self)
            if let key = Key(stringValue: name) {
                if let int = key.intValue, String(int) != name { failed = true }
                keys.append(key)
            }
            k = nodes[Int(k) + 1].next
        }
        return keys
    }
}
