import Foundation

/// Writes the oslo application message of an RPC request (call, cast or fanout), splicing
/// the already-encoded `args` object into the text.
public enum OutgoingRequest {
    /// A new `_unique_id` / `_msg_id`: uuid4 hex, as oslo writes them.
    public static func newID() -> String {
        FastID.hex32()
    }

    /// The application message (not yet enveloped).
    public static func message(
        method: String, argsJSON: String, version: RPCVersion?, namespace: String?, context: RequestContext,
        uniqueID: String, msgID: String? = nil, replyQueue: String? = nil, callMonitorTimeout: Double? = nil
    ) -> String {
        var out = "{\"method\": "
        out.reserveCapacity(argsJSON.utf8.count + 512)
        JSONText.appendQuoted(method, to: &out)
        out += ", \"args\": " + argsJSON
        if let version { out += ", \"version\": \"\(version)\"" }
        if let namespace {
            out += ", \"namespace\": "
            JSONText.appendQuoted(namespace, to: &out)
        }
        context.appendWireEntries(to: &out)
        out += ", \"_unique_id\": \"\(uniqueID)\""
        if let msgID, let replyQueue {
            out += ", \"_msg_id\": "
            JSONText.appendQuoted(msgID, to: &out)
            out += ", \"_reply_q\": "
            JSONText.appendQuoted(replyQueue, to: &out)
            out += ", \"_timeout\": " + (callMonitorTimeout.map { JSONValue.double($0).serialized() } ?? "null")
        }
        out += "}"
        return out
    }

    /// Encodes arguments as a JSON object (oslo's kwargs dict).
    public static func encodeArguments<A: Encodable>(_ args: A) throws -> String {
        let data = try JSONEncoder().encode(args)
        guard data.first == UInt8(ascii: "{") else {
            throw MessagingError.encoding("RPC arguments must encode to a JSON object, got \(String(decoding: data.prefix(40), as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
