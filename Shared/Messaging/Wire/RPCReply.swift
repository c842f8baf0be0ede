import Foundation

/// An RPC reply: `{result, failure, ending, _msg_id, _unique_id}` in the 2.0 envelope.
/// `ending: false` with neither result nor failure is a call-monitor heartbeat.
public struct RPCReply: Sendable {
    public var msgID: String?
    public var ending: Bool
    public var failure: String?
    public var hasResult: Bool
    /// The application message, for decoding `result`.
    public var message: Data
    /// Where a non-null `result` lies in ``message`` when the header scanner read it (nil:
    /// unknown, decode the whole message).
    var resultRange: Range<Int>?

    public var isHeartbeat: Bool { !ending && failure == nil && !hasResult }

    /// Writes a reply; `resultJSON` is already-encoded JSON (or nil for null). The message is
    /// written straight into its envelope (``MessageWriter``), escaped once.
    public static func encode(msgID: String, resultJSON: String?, failureJSON: String?, ending: Bool = true) -> Data {
        var w = MessageWriter(enveloped: true, capacity: (resultJSON?.utf8.count ?? 0) + (failureJSON?.utf8.count ?? 0) * 2 + 224)
        w.json("{\"result\": ")
        w.json(resultJSON ?? "null")
        w.json(", \"failure\": ")
        if let failureJSON { w.string(failureJSON) } else { w.json("null") }
        w.json(ending ? ", \"ending\": true, \"_msg_id\": " : ", \"ending\": false, \"_msg_id\": ")
        w.string(msgID)
        w.json(", \"_unique_id\": ")
        w.string(OutgoingRequest.newID())
        w.json("}")
        return w.body()
    }

    /// Reads a reply's header fields.
    public static func decode(body: Data) throws -> RPCReply {
        let message = try OsloEnvelope.unwrap(body)
        if let h = ReplyHeaderScanner.scan(message) {
            return RPCReply(
                msgID: h.msgID, ending: h.ending, failure: h.failure, hasResult: h.result != nil, message: message,
                resultRange: h.result)
        }
        return try decodeWithJSONDecoder(message: message)
    }

    /// The general path: Foundation's JSONDecoder over the whole message (also the reference
    /// the scanner is tested against).
    static func decodeWithJSONDecoder(message: Data) throws -> RPCReply {
        do {
            let h = try JSONDecoder().decode(Header.self, from: message)
            return RPCReply(msgID: h.msgID, ending: h.ending, failure: h.failure, hasResult: h.hasResult, message: message)
        } catch {
            throw WireError.malformed("reply is not an oslo RPC reply: \(OsloEnvelope.describe(error))")
        }
    }

    /// Decodes `result` as `R`.
    public func result<R: Decodable>(_ type: R.Type) throws -> R {
        if let range = resultRange {
            return try JSONByteScanner.decode(R.self, from: message, at: range)  // the header was read already
        }
        return try JSONDecoder().decode(ResultBox<R>.self, from: message).result
    }

    private struct ResultBox<R: Decodable>: Decodable {
        let result: R
    }

    private struct Header: Decodable {
        var msgID: String?
        var ending: Bool
        var failure: String?
        var hasResult: Bool

        enum CodingKeys: String, CodingKey {
            case msgID = "_msg_id", ending, failure, result
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            msgID = try c.decodeIfPresent(String.self, forKey: .msgID)
            ending = try c.decodeIfPresent(Bool.self, forKey: .ending) ?? false
            failure = try c.decodeIfPresent(String.self, forKey: .failure)
            hasResult = try c.contains(.result) && !c.decodeNil(forKey: .result)
        }
    }
}
