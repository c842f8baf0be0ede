/// Writing JSON text by hand where splicing already-encoded fragments is cheaper than
/// re-encoding them (the oslo envelope nests a JSON document inside a JSON string).
public enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    private static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == 0x22 || b == 0x5C
    }

    /// Whether `s` needs no escaping in a JSON string (over its contiguous UTF-8 when it has
    /// one, as native strings do: iterating `utf8` element by element costs several times more).
    private static func isPlain(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { !$0.contains(where: needsEscape) }
            ?? !s.utf8.contains(where: needsEscape)
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
    ///
    /// One tight pass sizes the output exactly, then the bytes are written through a pointer:
    /// in oslo envelopes an escape comes every few bytes, too often for an append per run.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var extra = 0
        for b in bytes where needsEscape(b) { extra += shortEscape(b) == 0 ? 5 : 1 }
        guard extra > 0 else { return out.append(contentsOf: bytes) }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bytes.count + extra))
        out.withUnsafeMutableBufferPointer { buffer in
            var o = buffer.baseAddress! + start
            for b in bytes {
                guard needsEscape(b) else {
                    o.pointee = b
                    o += 1
                    continue
                }
                o[0] = 0x5C
                let short = shortEscape(b)
                if short != 0 {
                    o[1] = short
                    o += 2
                } else {
                    (o[1], o[2], o[3], o[4], o[5]) = (UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)])
                    o += 6
                }
            }
        }
    }

    /// The letter of a two-byte escape (`\"`, `\\`, `\n`, `\r`, `\t`), or 0 for `\u00XX`.
    @inline(__always)
    private static func shortEscape(_ b: UInt8) -> UInt8 {
        switch b {
        case 0x22: 0x22
        case 0x5C: 0x5C
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        default: 0
        }
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
