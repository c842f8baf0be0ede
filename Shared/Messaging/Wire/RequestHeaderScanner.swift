import Foundation

/// One pass over an oslo RPC request message (`{"method": …, "args": {…}, "_context_…": …}`)
/// that reads the header fields and only notes where `args` lies, so the handler's argument
/// decoder parses the arguments alone instead of the whole message a second time. Returns nil
/// for anything unusual (duplicate keys, numbers in contexts other than plain integers, a
/// missing or invalid method, invalid JSON): ``IncomingRequest`` then decodes with
/// JSONDecoder, which produces the same values or the error to report.
enum RequestHeaderScanner {
    /// Where the arguments are.
    enum Arguments: Equatable, Sendable {
        /// No `args` key.
        case absent
        /// `"args": null`.
        case null
        /// The byte range of the `args` value in the message.
        case at(Range<Int>)
    }

    struct Header: Equatable {
        var method: String
        var version: String?
        var namespace: String?
        var uniqueID: String?
        var msgID: String?
        var replyQueue: String?
        var timeout: Double?
        var context: [String: JSONValue] = [:]
        var arguments = Arguments.absent
    }

    static func scan(_ message: Data) -> Header? {
        JSONByteScanner.scan(message, header)
    }

    private static func header(_ s: inout JSONByteScanner) -> Header? {
        guard s.expect(UInt8(ascii: "{")) else { return nil }
        var h = Header(method: "")
        var method: String?
        var seen = Set<String>()
        if !s.expect(UInt8(ascii: "}")) {
            repeat {
                guard let key = s.swiftString(), seen.insert(key).inserted, s.expect(UInt8(ascii: ":")) else { return nil }
                switch key {
                case "method":
                    guard let m = s.swiftString() else { return nil }
                    method = m
                case "version": guard let v = s.optionalString() else { return nil }; h.version = v
                case "namespace": guard let v = s.optionalString() else { return nil }; h.namespace = v
                case "_unique_id": guard let v = s.optionalString() else { return nil }; h.uniqueID = v
                case "_msg_id": guard let v = s.optionalString() else { return nil }; h.msgID = v
                case "_reply_q": guard let v = s.optionalString() else { return nil }; h.replyQueue = v
                case "_timeout":
                    if s.peek() == UInt8(ascii: "n") {
                        guard s.literal("null") else { return nil }
                    } else {
                        guard let token = s.numberToken(), let t = Double(token), t.isFinite else { return nil }
                        h.timeout = t
                    }
                case "args":
                    if s.peek() == UInt8(ascii: "n") {
                        guard s.literal("null") else { return nil }
                        h.arguments = .null
                    } else {
                        s.skipSpace()
                        let start = s.i
                        guard s.skipValue() else { return nil }
                        h.arguments = .at(start..<s.i)
                    }
                default:
                    if key.hasPrefix(RequestContext.prefix) {
                        guard let v = s.value() else { return nil }
                        h.context[String(key.dropFirst(RequestContext.prefix.count))] = v
                    } else {
                        guard s.skipValue() else { return nil }
                    }
                }
            } while s.expect(UInt8(ascii: ","))
            guard s.expect(UInt8(ascii: "}")) else { return nil }
        }
        guard s.atEnd(), let method, !method.isEmpty, method.utf8.count <= 255 else { return nil }
        h.method = method
        return h
    }
}
