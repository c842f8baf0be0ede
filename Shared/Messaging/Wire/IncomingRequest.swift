import Foundation

/// The oslo application message of an RPC request, as read off the wire: everything but
/// `args`, which the chosen handler decodes into its own type from ``message``.
public struct IncomingRequest: Sendable {
    public var method: String
    /// The requested API version; oslo treats a missing one as 1.0.
    public var version: RPCVersion?
    public var namespace: String?
    public var context: RequestContext
    public var uniqueID: String?
    /// Present on calls: correlates the reply.
    public var msgID: String?
    /// Present on calls: the caller's reply queue.
    public var replyQueue: String?
    /// Present when the caller asked for call-monitor heartbeats (`_timeout`).
    public var callMonitorTimeout: Double?
    /// The whole application message, for decoding `args`.
    public var message: Data
    /// Where `args` lies in ``message`` when the header scanner read it (nil: unknown).
    var argumentsLocation: RequestHeaderScanner.Arguments?

    public var isCall: Bool { msgID != nil && replyQueue != nil }

    /// Reads a request from an AMQP body (enveloped or legacy).
    /// - Throws: ``WireError`` saying what is wrong with it.
    public static func decode(body: Data) throws -> IncomingRequest {
        let message = try OsloEnvelope.unwrap(body)
        if let h = RequestHeaderScanner.scan(message) {
            return try IncomingRequest(
                method: h.method, version: parseVersion(h.version), namespace: h.namespace,
                context: RequestContext(wire: h.context), uniqueID: h.uniqueID, msgID: h.msgID,
                replyQueue: h.replyQueue, callMonitorTimeout: h.timeout, message: message, argumentsLocation: h.arguments)
        }
        return try decodeWithJSONDecoder(message: message)
    }

    /// The general path: Foundation's JSONDecoder over the whole message (also the reference
    /// the scanner is tested against).
    static func decodeWithJSONDecoder(message: Data) throws -> IncomingRequest {
        let header: RequestHeaderScanner.Header
        do {
            header = try JSONDecoder().decode(RequestHeaderScanner.Header.self, from: message)
        } catch let e as WireError {
            throw e
        } catch {
            throw WireError.malformed("request is not an oslo RPC message: \(OsloEnvelope.describe(error))")
        }
        return try IncomingRequest(
            method: header.method, version: parseVersion(header.version), namespace: header.namespace,
            context: RequestContext(wire: header.context), uniqueID: header.uniqueID, msgID: header.msgID,
            replyQueue: header.replyQueue, callMonitorTimeout: header.timeout, message: message)
    }

    private static func parseVersion(_ v: String?) throws -> RPCVersion? {
        guard let v else { return nil }
        guard let parsed = RPCVersion(v) else { throw WireError.malformed("version '\(v)' is not like 1.3") }
        return parsed
    }

    /// Decodes `args` into the handler's argument type.
    public func arguments<A: Decodable>(_ type: A.Type) throws -> A {
        switch argumentsLocation {
        case .at(let range):
            return try JSONByteScanner.decode(A.self, from: message, at: range)  // the header was read already
        case .absent, .null:
            return try WireJSON.decode(A.self, from: Self.emptyObject)
        case nil:
            return try JSONDecoder().decode(ArgsBox<A>.self, from: message).args
        }
    }

    private static let emptyObject = Data("{}".utf8)

    private struct ArgsBox<A: Decodable>: Decodable {
        let args: A
        enum CodingKeys: String, CodingKey { case args }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if c.contains(.args), try !c.decodeNil(forKey: .args) {
                args = try c.decode(A.self, forKey: .args)
            } else {
                // No args at all: decode from an empty object so all-optional types still work.
                args = try JSONDecoder().decode(A.self, from: Data("{}".utf8))
            }
        }
    }

}

/// The JSONDecoder path reads the same header the scanner does (`arguments` stays unknown).
extension RequestHeaderScanner.Header: Decodable {
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        guard c.contains(DynamicKey("method")) else {
            throw WireError.malformed("request has no 'method'")
        }
        method = try c.decode(String.self, forKey: DynamicKey("method"))
        guard !method.isEmpty, method.utf8.count <= 255 else {
            throw WireError.malformed("method name must be 1-255 bytes")
        }
        version = try c.decodeIfPresent(String.self, forKey: DynamicKey("version"))
        namespace = try c.decodeIfPresent(String.self, forKey: DynamicKey("namespace"))
        uniqueID = try c.decodeIfPresent(String.self, forKey: DynamicKey("_unique_id"))
        msgID = try c.decodeIfPresent(String.self, forKey: DynamicKey("_msg_id"))
        replyQueue = try c.decodeIfPresent(String.self, forKey: DynamicKey("_reply_q"))
        timeout = try c.decodeIfPresent(Double.self, forKey: DynamicKey("_timeout"))
        for key in c.allKeys where key.stringValue.hasPrefix(RequestContext.prefix) {
            _ = context.set(String(key.stringValue.dropFirst(RequestContext.prefix.count)), try c.decode(JSONValue.self, forKey: key))
        }
    }
}
