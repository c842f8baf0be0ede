import Foundation

/// The tail of a serial console log, as `get_console_output` returns it (Nova's
/// `get_console_output` with its `MAX_CONSOLE_BYTES` of 100 KiB). Pure text handling plus a
/// bounded read.
public enum ConsoleLog {
    /// At most this many bytes from the end of the file are read.
    public static let maximumBytes = 100 * 1024

    /// The last `maximumBytes` of the file at `path` ("" when it does not exist).
    public static func readTail(path: String, maximumBytes: Int = maximumBytes) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size > UInt64(maximumBytes) ? size - UInt64(maximumBytes) : 0)
        return [UInt8](try handle.readToEnd() ?? Data())
    }

    /// `bytes` as text: invalid UTF-8 becomes U+FFFD, control characters other than newline
    /// and tab are dropped (`\r\n` → `\n`), and only the last `lines` lines are kept (nil:
    /// all). When the bytes were cut from a longer file, the first partial line is dropped.
    public static func text(_ bytes: [UInt8], lines: Int?, truncated: Bool = false) -> String {
        var s = String(decoding: bytes, as: UTF8.self)
        if truncated, let nl = s.firstIndex(of: "\n") { s = String(s[s.index(after: nl)...]) }
        s.unicodeScalars.removeAll { $0.value < 0x20 && $0 != "\n" && $0 != "\t" || $0.value == 0x7F }
        guard let lines, !s.isEmpty else { return s }
        guard lines > 0 else { return "" }
        var parts = s.split(separator: "\n", omittingEmptySubsequences: false)
        let endsWithNewline = parts.last == ""
        if endsWithNewline { parts.removeLast() }
        return parts.suffix(lines).joined(separator: "\n") + (endsWithNewline ? "\n" : "")
    }
}
