import Foundation

/// A forward-only reader over JSON bytes for the wire fast paths (``EnvelopeScanner``,
/// ``RequestHeaderScanner``). Every method returns nil (or false) on anything it does not
/// handle exactly like Foundation's JSONDecoder would; callers then take the slow path, so the
/// fast path never accepts what the slow path would refuse, nor reads it differently.
struct JSONByteScanner {
    let p: UnsafePointer<UInt8>
    let n: Int
    var i = 0

    init(_ p: UnsafePointer<UInt8>, count: Int) {
        self.p = p
        n = count
    }

    /// Runs `read` over the bytes of `data` (nil for empty data): the entry point of the
    /// envelope, request and reply scanners.
    static func scan<T>(_ data: Data, _ read: (inout JSONByteScanner) -> T?) -> T? {
        data.withUnsafeBytes { raw -> T? in
            guard let p = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            var s = JSONByteScanner(p, count: raw.count)
            return read(&s)
        }
    }

    /// Decodes the value a scanner located at `range` of `data` (message-relative offsets)
    /// from those bytes alone (``WireJSON``: the lean decoder, else JSONDecoder).
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, at range: Range<Int>) throws -> T {
        try WireJSON.decode(type, from: data, at: range)
    }

    /// Reads a whole object member by member: `member` gets each key's bytes, with the scanner
    /// at its value, and consumes the value (false: give up). False for a malformed object or
    /// a key with escapes (the slow path reads those).
    mutating func members(_ member: (inout JSONByteScanner, Range<Int>) -> Bool) -> Bool {
        guard expect(UInt8(ascii: "{")) else { return false }
        if expect(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = plainString(), expect(UInt8(ascii: ":")), member(&self, key) else { return false }
        } while expect(UInt8(ascii: ","))
        return expect(UInt8(ascii: "}"))
    }

    /// Skips the next value and returns where it lies; nil when it is malformed.
    mutating func valueRange() -> Range<Int>? {
        skipSpace()
        let start = i
        return skipValue() ? start..<i : nil
    }

    mutating func skipSpace() {
        while i < n, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
    }

    /// Skips whitespace and consumes `b` when it comes next.
    mutating func expect(_ b: UInt8) -> Bool {
        skipSpace()
        guard i < n, p[i] == b else { return false }
        i += 1
        return true
    }

    /// Whether only whitespace is left.
    mutating func atEnd() -> Bool {
        skipSpace()
        return i == n
    }

    /// The next non-space byte, not consumed.
    mutating func peek() -> UInt8? {
        skipSpace()
        return i < n ? p[i] : nil
    }

    /// A JSON string, unescaped. The output is sized once for the worst case (unescaping
    /// only shrinks).
    mutating func string() -> [UInt8]? {
        guard expect(UInt8(ascii: "\"")) else { return nil }
        var ok = false
        let out = [UInt8](unsafeUninitializedCapacity: n - i) { buffer, count in
            ok = unescape(into: buffer.baseAddress!, count: &count)
        }
        return ok ? out : nil
    }

    /// ``string()`` as Data, unescaped straight into it (the envelope's message).
    mutating func stringData() -> Data? {
        guard expect(UInt8(ascii: "\"")) else { return nil }
        var out = Data(count: n - i)
        var count = 0
        let ok = out.withUnsafeMutableBytes { raw in
            unescape(into: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: &count)
        }
        guard ok else { return nil }
        out.count = count
        return out
    }

    /// The body of ``string()``: unescapes up to the closing quote into `out` (which has room
    /// for the rest of the input); false on a malformed string. Bytes are copied one by one:
    /// in oslo messages escapes come every few bytes, too often for a copy call per run.
    private mutating func unescape(into out: UnsafeMutablePointer<UInt8>, count: inout Int) -> Bool {
        var o = 0
        while i < n {
            let b = p[i]
            if b >= 0x20, b != UInt8(ascii: "\""), b != UInt8(ascii: "\\") {
                out[o] = b
                o += 1
                i += 1
                continue
            }
            if b == UInt8(ascii: "\"") {
                i += 1
                count = o
                return true
            }
            guard b == UInt8(ascii: "\\"), i + 1 < n else { return false }
            let e = p[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out[o] = 0x22
            case UInt8(ascii: "\\"): out[o] = 0x5C
            case UInt8(ascii: "/"): out[o] = 0x2F
            case UInt8(ascii: "n"): out[o] = 0x0A
            case UInt8(ascii: "r"): out[o] = 0x0D
            case UInt8(ascii: "t"): out[o] = 0x09
            case UInt8(ascii: "b"): out[o] = 0x08
            case UInt8(ascii: "f"): out[o] = 0x0C
            case UInt8(ascii: "u"):
                // At most 4 UTF-8 bytes for the 6 (or 12, with a surrogate pair) read.
                guard let scalar = unicodeEscape() else { return false }
                for u in UTF8.encode(scalar)! {
                    out[o] = u
                    o += 1
                }
                continue
            default: return false
            }
            o += 1
        }
        return false
    }

    /// A JSON string as a Swift String (nil for invalid UTF-8, which the slow path reports).
    mutating func swiftString() -> String? {
        if let r = plainString() { return Self.validString(UnsafeBufferPointer(start: p + r.lowerBound, count: r.count)) }
        guard let bytes = string() else { return nil }
        return bytes.withUnsafeBufferPointer(Self.validString)
    }

    /// `bytes` as a String; nil for invalid UTF-8. ASCII (ids, names, nearly every header
    /// field) needs no validation, and the validating initializer is generic enough to look up
    /// type metadata on every call.
    static func validString(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Where the content of the next JSON string lies when it has no escapes (the common
    /// case: keys, ids); nil, with nothing consumed, for an escaped string or anything else.
    mutating func plainString() -> Range<Int>? {
        let save = i
        guard expect(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < n {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return start..<(i - 1)
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            i += 1
        }
        i = save
        return nil
    }

    /// The bytes in `r` as text (invalid UTF-8 repaired).
    func text(_ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: p + r.lowerBound, count: r.count), as: UTF8.self)
    }

    /// Whether the bytes in `r` are exactly `word`.
    func bytes(_ r: Range<Int>, equal word: StaticString) -> Bool {
        r.count == word.utf8CodeUnitCount && memcmp(p + r.lowerBound, word.utf8Start, r.count) == 0
    }

    /// Whether the bytes in `r` start with `word`.
    func bytes(_ r: Range<Int>, startWith word: StaticString) -> Bool {
        r.count >= word.utf8CodeUnitCount && memcmp(p + r.lowerBound, word.utf8Start, word.utf8CodeUnitCount) == 0
    }

    /// A string or `null` (as `.some(nil)`); nil for anything else.
    mutating func optionalString() -> String?? {
        if peek() == UInt8(ascii: "n") { return literal("null") ? .some(nil) : nil }
        guard let s = swiftString() else { return nil }
        return .some(s)
    }

    /// Consumes `word` (true, false, null) when it comes next.
    mutating func literal(_ word: StaticString) -> Bool {
        skipSpace()
        let count = word.utf8CodeUnitCount
        guard i + count <= n else { return false }
        for k in 0..<count where p[i + k] != word.utf8Start[k] { return false }
        i += count
        return true
    }

    /// The bytes of a number token (`-?[0-9][0-9.eE+-]*`), not validated beyond that.
    mutating func numberToken() -> String? {
        skipSpace()
        let start = i
        if i < n, p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n, (0x30...0x39).contains(p[i]) else { return nil }
        while i < n, (0x30...0x39).contains(p[i]) || p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: "e")
            || p[i] == UInt8(ascii: "E") || p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")
        {
            i += 1
        }
        return String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
    }

    /// A value as ``JSONValue`` decodes it. Numbers other than plain integers return nil
    /// (whether `2.0` is an int or a double is the slow path's call).
    mutating func value(depth: Int = 0) -> JSONValue? {
        guard depth < 64, let b = peek() else { return nil }
        switch b {
        case UInt8(ascii: "\""):
            return swiftString().map { .string($0) }
        case UInt8(ascii: "n"):
            return literal("null") ? .null : nil
        case UInt8(ascii: "t"):
            return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"):
            return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            if expect(UInt8(ascii: "]")) { return .array(items) }
            repeat {
                guard let v = value(depth: depth + 1) else { return nil }
                items.append(v)
            } while expect(UInt8(ascii: ","))
            return expect(UInt8(ascii: "]")) ? .array(items) : nil
        case UInt8(ascii: "{"):
            i += 1
            var members: [String: JSONValue] = [:]
            if expect(UInt8(ascii: "}")) { return .object(members) }
            repeat {
                guard let k = swiftString(), expect(UInt8(ascii: ":")), let v = value(depth: depth + 1),
                    members.updateValue(v, forKey: k) == nil
                else { return nil }
            } while expect(UInt8(ascii: ","))
            return expect(UInt8(ascii: "}")) ? .object(members) : nil
        default:
            guard let token = numberToken(), token.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) }),
                let v = Int64(token), !(token.hasPrefix("0") && token.count > 1), !token.hasPrefix("-0")
            else { return nil }
            return .int(v)
        }
    }

    /// Skips one value, checking its structure and literals; its content is left to the
    /// decoder that reads it later.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < 512, let b = peek() else { return false }
        switch b {
        case UInt8(ascii: "\""):
            i += 1
            while i < n {
                let c = p[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    return true
                }
                if c < 0x20 { return false }
                i += c == UInt8(ascii: "\\") ? 2 : 1
            }
            return false
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "["):
            i += 1
            if expect(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
            } while expect(UInt8(ascii: ","))
            return expect(UInt8(ascii: "]"))
        case UInt8(ascii: "{"):
            i += 1
            if expect(UInt8(ascii: "}")) { return true }
            repeat {
                guard peek() == UInt8(ascii: "\""), skipValue(depth: depth + 1), expect(UInt8(ascii: ":")),
                    skipValue(depth: depth + 1)
                else { return false }
            } while expect(UInt8(ascii: ","))
            return expect(UInt8(ascii: "}"))
        default:
            return numberToken() != nil
        }
    }

    /// After `\u`: 4 hex digits, with a following `\uXXXX` low surrogate when needed.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let first = hex4() else { return nil }
        if (0xD800..<0xDC00).contains(first) {
            guard i + 1 < n, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else { return nil }
            i += 2
            guard let second = hex4(), (0xDC00..<0xE000).contains(second) else { return nil }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        }
        return Unicode.Scalar(first)
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= n else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x61...0x66: d = c - 0x61 + 10
            case 0x41...0x46: d = c - 0x41 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }
}
