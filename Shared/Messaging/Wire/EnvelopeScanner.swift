import Foundation

/// A fast path for the envelope as oslo.messaging and Cirrus write it:
/// `{"oslo.version": "2.0", "oslo.message": "<escaped JSON>"}` (keys in either order, any
/// whitespace). It unescapes the inner string in one pass over the bytes; anything it does
/// not recognise returns nil and the full JSON decoder takes over.
enum EnvelopeScanner {
    static func message(in body: Data) -> Data? {
        body.withUnsafeBytes { raw -> Data? in
            guard let p = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            var s = Scanner(p: p, n: raw.count)
            return s.envelope()
        }
    }

    private struct Scanner {
        let p: UnsafePointer<UInt8>
        let n: Int
        var i = 0

        mutating func skipSpace() {
            while i < n, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ b: UInt8) -> Bool {
            skipSpace()
            guard i < n, p[i] == b else { return false }
            i += 1
            return true
        }

        mutating func envelope() -> Data? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            var version: [UInt8]?
            var message: [UInt8]?
            for k in 0..<2 {
                if k == 1 { guard expect(UInt8(ascii: ",")) else { return nil } }
                guard let key = string(), expect(UInt8(ascii: ":")), let value = string() else { return nil }
                switch key {
                case Array("oslo.version".utf8): version = value
                case Array("oslo.message".utf8): message = value
                default: return nil
                }
            }
            guard expect(UInt8(ascii: "}")) else { return nil }
            skipSpace()
            guard i == n, let version, OsloEnvelope.isSupported(String(decoding: version, as: UTF8.self)), let message else {
                return nil
            }
            return Data(message)
        }

        /// A JSON string, unescaped; nil on anything unusual (the slow path handles it).
        mutating func string() -> [UInt8]? {
            guard expect(UInt8(ascii: "\"")) else { return nil }
            var out: [UInt8] = []
            var runStart = i
            while i < n {
                let b = p[i]
                if b == UInt8(ascii: "\"") {
                    out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: i - runStart))
                    i += 1
                    return out
                }
                if b == UInt8(ascii: "\\") {
                    out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: i - runStart))
                    guard i + 1 < n else { return nil }
                    let e = p[i + 1]
                    i += 2
                    switch e {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: return nil
                    }
                    runStart = i
                    continue
                }
                if b < 0x20 { return nil }
                i += 1
            }
            return nil
        }

        /// After `\u`: 4 hex digits, with a following `\uXXXX` low surrogate when needed.
        mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let first = hex4() else { return nil }
            if (0xD800..<0xDC00).contains(first) {
                guard i + 1 < n, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else { return nil }
                i += 2
                guard let second = hex4(), (0xDC00..<0xE000).contains(second) else { return nil }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            }
            return Unicode.Scalar(first)
        }

        mutating func hex4() -> UInt32? {
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
}
