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
        var w = MessageWriter(enveloped: false, capacity: argsJSON.utf8.count + 512)
        write(
            to: &w, method: method, argsJSON: argsJSON, version: version, namespace: namespace, context: context,
            uniqueID: uniqueID, msgID: msgID, replyQueue: replyQueue, callMonitorTimeout: callMonitorTimeout)
        return w.text
    }

    /// The AMQP body: the message in its 2.0 envelope, written in one pass.
    public static func body(
        method: String, argsJSON: String, version: RPCVersion?, namespace: String?, context: RequestContext,
        uniqueID: String, msgID: String? = nil, replyQueue: String? = nil, callMonitorTimeout: Double? = nil
    ) -> Data {
        var w = MessageWriter(enveloped: true, capacity: argsJSON.utf8.count * 2 + 640)
        write(
            to: &w, method: method, argsJSON: argsJSON, version: version, namespace: namespace, context: context,
            uniqueID: uniqueID, msgID: msgID, replyQueue: replyQueue, callMonitorTimeout: callMonitorTimeout)
        return w.body()
    }

    private static func write(
        to w: inout MessageWriter, method: String, argsJSON: String, version: RPCVersion?, namespace: String?,
        context: RequestContext, uniqueID: String, msgID: String?, replyQueue: String?, callMonitorTimeout: Double?
    ) {
        w.json("{\"method\": ")
        w.string(method)
        w.json(", \"args\": ")
        w.json(argsJSON)
        if let version {
            w.json(", \"version\": ")
            w.string(version.description)
        }
        if let namespace {
            w.json(", \"namespace\": ")
            w.string(namespace)
        }
        context.writeWireEntries(to: &w)
        w.json(", \"_unique_id\": ")
        w.string(uniqueID)
        if let msgID, let replyQueue {
            w.json(", \"_msg_id\": ")
            w.string(msgID)
            w.json(", \"_reply_q\": ")
            w.string(replyQueue)
            w.json(", \"_timeout\": ")
            w.json(callMonitorTimeout.map { JSONValue.double($0).serialized() } ?? "null")
        }
        w.json("}")
    }

    /// Encodes arguments as a JSON object (oslo's kwargs dict), through ``WireJSON``.
    public static func encodeArguments<A: Encodable>(_ args: A) throws -> String {
        let text = try WireJSON.encode(args)
        guard text.utf8.first == UInt8(ascii: "{") else {
            throw MessagingError.encoding("RPC arguments must encode to a JSON object, got \(text.prefix(40))")
        }
        return text
    }
}
