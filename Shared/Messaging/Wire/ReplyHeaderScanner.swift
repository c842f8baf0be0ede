import Foundation

/// One pass over an oslo RPC reply (`{"result": …, "failure": …, "ending": …, "_msg_id": …}`)
/// that reads the header fields and notes where `result` lies, so the caller's result type is
/// decoded from those bytes alone. Returns nil for anything unusual (a duplicate reply key, a
/// header field of the wrong type, invalid JSON); ``RPCReply`` then decodes with JSONDecoder, which
/// produces the same values or the error to report.
enum ReplyHeaderScanner {
    struct Header: Equatable {
        var msgID: String?
        var ending = false
        var failure: String?
        /// The byte range of a non-null `result` value; nil when absent or null.
        var result: Range<Int>?
    }

    static func scan(_ message: Data) -> Header? {
        JSONByteScanner.scan(message, header)
    }

    /// The reply keys the scanner reads, by bit in the duplicate mask.
    private enum Key: Int {
        case msgID, failure, ending, result

        init?(_ s: JSONByteScanner, _ r: Range<Int>) {
            if s.bytes(r, equal: "_msg_id") { self = .msgID }
            else if s.bytes(r, equal: "failure") { self = .failure }
            else if s.bytes(r, equal: "ending") { self = .ending }
            else if s.bytes(r, equal: "result") { self = .result }
            else { return nil }
        }
    }

    /// Keys are compared as bytes (a key with escapes goes to the slow path); a duplicate of a
    /// reply key steps aside for JSONDecoder, other keys are skipped unread.
    private static func header(_ s: inout JSONByteScanner) -> Header? {
        var h = Header()
        var seen: UInt8 = 0
        let read = s.members { s, keyRange in
            guard let key = Key(s, keyRange) else { return s.skipValue() }
            guard seen & (1 << key.rawValue) == 0 else { return false }
            seen |= 1 << key.rawValue
            switch key {
            case .msgID: guard let v = s.optionalString() else { return false }; h.msgID = v
            case .failure: guard let v = s.optionalString() else { return false }; h.failure = v
            case .ending:
                if s.literal("true") {
                    h.ending = true
                } else if !s.literal("false"), !s.literal("null") {
                    return false
                }
            case .result:
                if s.peek() == UInt8(ascii: "n"), s.literal("null") { return true }
                guard let r = s.valueRange() else { return false }
                h.result = r
            }
            return true
        }
        guard read, s.atEnd() else { return nil }
        return h
    }
}
