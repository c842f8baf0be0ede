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
    /// written straight into its envelope, escaped once, not built as text and then wrapped.
    public static func encode(msgID: String, resultJSON: String?, failureJSON: String?, ending: Bool = true) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity((resultJSON?.utf8.count ?? 0) + (failureJSON?.utf8.count ?? 0) * 2 + 224)
        out.append(contentsOf: Self.head)
        JSONText.appendEscaped(resultJSON ?? "null", to: &out)
        out.append(contentsOf: Self.failureKey)
        if let failureJSON { JSONText.appendNestedQuoted(failureJSON, to: &out) } else { out.append(contentsOf: Self.null) }
        out.append(contentsOf: ending ? Self.endingTrue : Self.endingFalse)
        JSONText.appendNestedQuoted(msgID, to: &out)
        out.append(contentsOf: Self.uniqueIDKey)
        out.append(contentsOf: OutgoingRequest.newID().utf8)  // hex: nothing to escape
        out.append(contentsOf: Self.tail)
        return Data(out)
    }

    // The fixed parts of an enveloped reply, inner quotes already escaped.
    private static let head = Array(#"{"oslo.version": "2.0", "oslo.message": "{\"result\": "#.utf8)
    private static let failureKey = Array(#", \"failure\": "#.utf8)
    private static let null = Array("null".utf8)
    private static let endingTrue = Array(#", \"ending\": true, \"_msg_id\": "#.utf8)
    private static let endingFalse = Array(#", \"ending\": false, \"_msg_id\": "#.utf8)
    private static let uniqueIDKey = Array(#", \"_unique_id\": \""#.utf8)
    private static let tail = Array(#"\"}"}"#.utf8)

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
