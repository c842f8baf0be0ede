import Foundation

/// One pass over an oslo RPC reply (`{"result": …, "failure": …, "ending": …, "_msg_id": …}`)
/// that reads the header fields and notes where `result` lies, so the caller's result type is
/// decoded from those bytes alone. Returns nil for anything unusual (duplicate keys, a header
/// field of the wrong type, invalid JSON); ``RPCReply`` then decodes with JSONDecoder, which
/// produces the same values or the error to report.
enum ReplyHeaderScanner {
    struct Header: Equatable {
        var msgID: String?
        var ending = false
        var failure: String?
        /// The byte range of a non-null `result` value; nil when absent or null.
        var result: Range<Int>?
        var hasResultKey = false
    }

    static func scan(_ message: Data) -> Header? {
        JSONByteScanner.scan(message, header)
    }

    private static func header(_ s: inout JSONByteScanner) -> Header? {
        guard s.expect(UInt8(ascii: "{")) else { return nil }
        var h = Header()
        var seen = Set<String>()
        if !s.expect(UInt8(ascii: "}")) {
            repeat {
                guard let key = s.swiftString(), seen.insert(key).inserted, s.expect(UInt8(ascii: ":")) else { return nil }
                switch key {
                case "_msg_id": guard let v = s.optionalString() else { return nil }; h.msgID = v
                case "failure": guard let v = s.optionalString() else { return nil }; h.failure = v
                case "ending":
                    if s.literal("true") {
                        h.ending = true
                    } else if !s.literal("false"), !s.literal("null") {
                        return nil
                    }
                case "result":
                    h.hasResultKey = true
                    if s.peek() == UInt8(ascii: "n"), s.literal("null") { break }
                    s.skipSpace()
                    let start = s.i
                    guard s.skipValue() else { return nil }
                    h.result = start..<s.i
                default:
                    guard s.skipValue() else { return nil }
                }
            } while s.expect(UInt8(ascii: ","))
            guard s.expect(UInt8(ascii: "}")) else { return nil }
        }
        guard s.atEnd() else { return nil }
        return h
    }
}
