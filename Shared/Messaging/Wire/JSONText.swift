/// Writing JSON text by hand where splicing already-encoded fragments is cheaper than
/// re-encoding them (the oslo envelope nests a JSON document inside a JSON string).
public enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    private static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == 0x22 || b == 0x5C
    }

    /// Whether `s` needs no escaping in a JSON string.
    private static func isPlain(_ s: String) -> Bool {
        !s.utf8.contains(where: needsEscape)
    }

    /// Appends `s` as a quoted, escaped JSON string, copying runs of plain bytes at once.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(s, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `s` as a JSON string value written inside another JSON string (the envelope's
    /// message): quoted and escaped, then escaped again. Plain strings (ids, names) are
    /// copied as they are between `\"` and `\"`, with no intermediate String.
    public static func appendNestedQuoted(_ s: String, to out: inout [UInt8]) {
        guard isPlain(s) else { return appendEscaped(quoted(s), to: &out) }
        out.append(0x5C)
        out.append(0x22)
        out.append(contentsOf: s.utf8)
        out.append(0x5C)
        out.append(0x22)
    }

    /// Appends the content of `s` escaped for a JSON string, without the quotes.
    public static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendEscaped($0, to: &out) }
    }

    /// Appends `bytes` (UTF-8) escaped for a JSON string, without the quotes.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        for i in 0..<bytes.count where needsEscape(bytes[i]) {
            let b = bytes[i]
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            default:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
            runStart = i + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }

    /// Appends `s` as a quoted, escaped JSON string.
    public static func appendQuoted(_ s: String, to out: inout String) {
        if isPlain(s) {
            out.append("\"")
            out.append(s)
            out.append("\"")
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 16)
        appendQuoted(s, to: &bytes)
        out.append(String(decoding: bytes, as: UTF8.self))
    }

    /// `s` as a quoted, escaped JSON string.
    public static func quoted(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }
}
