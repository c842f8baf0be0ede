import Foundation
import Messaging

/// Proposed replacements for two Messaging hot spots, measured next to the originals by
/// `cirrus-bench codec` (evidence for BENCHMARKS.md; nothing here is used by the RPC path).
enum Proposed {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `OutgoingRequest.newID()` without `UUID()` (which opens /dev/urandom on every call on
    /// this platform) and without `String(radix:)` per byte: 16 bytes from the system RNG
    /// (getrandom), version-4 bits set, hex through a table.
    static func newID() -> String {
        var rng = SystemRandomNumberGenerator()
        var hi = rng.next() as UInt64
        var lo = rng.next() as UInt64
        hi = (hi & ~0xF000) | 0x4000               // version 4
        lo = (lo & ~(0xC << 60)) | (0x8 << 60)     // RFC 4122 variant
        return String(unsafeUninitializedCapacity: 32) { buf in
            for i in 0..<16 {
                let b = UInt8(truncatingIfNeeded: (i < 8 ? hi >> (56 - 8 * UInt64(i)) : lo >> (56 - 8 * UInt64(i - 8))))
                buf[2 * i] = hexDigits[Int(b >> 4)]
                buf[2 * i + 1] = hexDigits[Int(b & 0xF)]
            }
            return 32
        }
    }

    /// `JSONText.appendQuoted` working on UTF-8 bytes: copies runs of bytes that need no
    /// escape in one go instead of appending unicode scalars one by one.
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                out.append(contentsOf: bytes[runStart..<i])
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    out.append(contentsOf: Array("\\u00".utf8))
                    out.append(hexDigits[Int(b >> 4)])
                    out.append(hexDigits[Int(b & 0xF)])
                }
                runStart = i + 1
            }
            out.append(contentsOf: bytes[runStart..<bytes.count])
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `OsloEnvelope.wrap` straight into bytes.
    static func wrap(_ message: String) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(message.utf8.count + 96)
        out.append(contentsOf: Array("{\"oslo.version\": \"2.0\", \"oslo.message\": ".utf8))
        appendQuoted(message, to: &out)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }
}
