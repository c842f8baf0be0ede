import Foundation
import Logging

/// Calls and casts to an RPC topic, wire-compatible with oslo.messaging's `RPCClient`.
///
/// Value type in the style of oslo's `prepare()`: derive a client for a host, a version or a
/// timeout with ``prepare(server:version:timeout:callMonitorTimeout:)``.
public struct RPCClient: Sendable {
    public let transport: MessagingTransport
    public var topic: String
    /// Sends to `<topic>.<server>` when set.
    public var server: String?
    /// Version stamped on messages unless a method asks for its own.
    public var version: RPCVersion?
    /// Upper bound from `[upgrade_levels] <topic>`.
    public var versionCap: RPCVersion?
    public var namespace: String?
    /// Call timeout, seconds (oslo's `rpc_response_timeout` by default).
    public var timeout: Double
    /// Ask the server for heartbeats while a long call runs; the call then fails when they stop.
    public var callMonitorTimeout: Double?
    /// Fail a call at once with ``MessagingError/undeliverable(topic:method:msgID:exchange:)``
    /// when no queue is bound to its topic, instead of at its timeout (oslo's
    /// `TransportOptions(at_least_once=True)`: the request is published mandatory). For
    /// operators' tools; daemons keep oslo's default and wait for a server that may be starting.
    public var failIfUnroutable = false
    /// Remote errors rebuilt as these Swift types (by class name) instead of ``RemoteError``.
    public var expectedErrors: [any RemoteErrorConvertible.Type]

    public init(
        transport: MessagingTransport, topic: String, server: String? = nil, version: RPCVersion? = nil,
        versionCap: RPCVersion? = nil, namespace: String? = nil, timeout: Double? = nil,
        expectedErrors: [any RemoteErrorConvertible.Type] = []
    ) {
        self.transport = transport
        self.topic = topic
        self.server = server
        self.version = version
        self.versionCap = versionCap
        self.namespace = namespace
        self.timeout = timeout ?? transport.configuration.rpcResponseTimeout
        self.expectedErrors = expectedErrors + [UnsupportedVersion.self, NoSuchMethod.self]
    }

    /// A copy aimed at another server, version or timeout.
    public func prepare(
        server: String? = nil, version: RPCVersion? = nil, timeout: Double? = nil, callMonitorTimeout: Double? = nil
    ) -> RPCClient {
        var c = self
        if let server { c.server = server }
        if let version { c.version = version }
        if let timeout { c.timeout = timeout }
        if let callMonitorTimeout { c.callMonitorTimeout = callMonitorTimeout }
        return c
    }

    /// Whether `version` may be sent under the cap (use it to downgrade payloads).
    public func canSendVersion(_ version: RPCVersion) -> Bool {
        guard let versionCap else { return true }
        return versionCap.major == version.major ? version <= versionCap : false
    }

    private var routingKey: String { server.map { "\(topic).\($0)" } ?? topic }

    private func checkCap(_ method: String, _ v: RPCVersion?) throws {
        if let v, let cap = versionCap, !canSendVersion(v) {
            throw MessagingError.versionCap(method: method, requested: v, cap: cap)
        }
    }

    /// Calls `method` and decodes its result.
    public func call<A: Encodable, R: Decodable>(
        _ method: String, _ args: A, context: RequestContext, version: RPCVersion? = nil, returning: R.Type = R.self
    ) async throws -> R {
        let reply = try await callReply(method, argsJSON: try OutgoingRequest.encodeArguments(args), context: context, version: version)
        do {
            return try reply.result(R.self)
        } catch {
            throw MessagingError.encoding("reply to \(method) does not match \(R.self): \(OsloEnvelope.describe(error))")
        }
    }

    /// Calls with arguments given as JSON; returns the raw result (operator tools).
    public func callJSON(_ method: String, args: [String: JSONValue], context: RequestContext, version: RPCVersion? = nil) async throws -> JSONValue {
        let reply = try await callReply(method, argsJSON: JSONValue.object(args).serialized(), context: context, version: version)
        return try reply.result(JSONValue.self)
    }

    func callReply(_ method: String, argsJSON: String, context: RequestContext, version: RPCVersion?) async throws -> RPCReply {
        let v = version ?? self.version
        try checkCap(method, v)
        let msgID = OutgoingRequest.newID()
        if !transport.readyForCalls {
            // The first call declares the exchange and the reply queue, which waits for the
            // broker: bounded by the call's timeout (and its task's cancellation) like the rest.
            let (topic, seconds) = (routingKey, timeout)
            try await withDeadline(seconds: timeout, onTimeout: {
                MessagingError.timeout(topic: topic, method: method, msgID: msgID, seconds: seconds)
            }) { [transport] in
                try await transport.ensureControlExchange()
                try await transport.ensureReplyQueue()
            }
        }
        let body = OutgoingRequest.body(
            method: method, argsJSON: argsJSON, version: v, namespace: namespace, context: context,
            uniqueID: OutgoingRequest.newID(), msgID: msgID, replyQueue: transport.replyQueue,
            callMonitorTimeout: callMonitorTimeout)
        let message = OutgoingMessage(
            exchange: transport.controlExchange, routingKey: routingKey, body: body, mandatory: failIfUnroutable,
            expirationMilliseconds: Int(timeout * 1000), correlationID: failIfUnroutable ? msgID : nil)
        let reply = try await transport.replies.wait(
            msgID: msgID, topic: routingKey, method: method, timeout: timeout, monitor: callMonitorTimeout
        ) {
            transport.connection.publish(message)
        }
        if let failure = reply.failure {
            throw rebuild(RemoteError(failureJSON: failure))
        }
        return reply
    }

    private func rebuild(_ remote: RemoteError) -> any Error {
        for type in expectedErrors where type.remoteClassName == remote.className {
            return type.init(remoteMessage: remote.message, kwargs: remote.kwargs)
        }
        return remote
    }

    /// Casts `method` (no reply). The message is persistent and confirmed by the broker;
    /// after a lost connection it is published again with the same `_unique_id`, so the
    /// server drops the copy if both arrive.
    public func cast<A: Encodable>(
        _ method: String, _ args: A, context: RequestContext, version: RPCVersion? = nil, fanout: Bool = false
    ) async throws {
        try await castJSON(method, argsJSON: try OutgoingRequest.encodeArguments(args), context: context, version: version, fanout: fanout)
    }

    func castJSON(_ method: String, argsJSON: String, context: RequestContext, version: RPCVersion?, fanout: Bool) async throws {
        let v = version ?? self.version
        try checkCap(method, v)
        let body = OutgoingRequest.body(
            method: method, argsJSON: argsJSON, version: v, namespace: namespace, context: context,
            uniqueID: OutgoingRequest.newID())
        let message: OutgoingMessage
        if fanout {
            try await transport.ensureFanoutExchange(topic: topic)
            message = OutgoingMessage(exchange: topic + "_fanout", routingKey: "", body: body)
        } else {
            try await transport.ensureControlExchange()
            message = OutgoingMessage(
                exchange: transport.controlExchange, routingKey: routingKey, body: body, persistent: true)
        }
        try await publishWithRetry(message, what: method)
    }

    private func publishWithRetry(_ message: OutgoingMessage, what: String) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while true {
            do {
                try await transport.connection.publishConfirmed(message)
                return
            } catch AMQPError.connectionLost(let why) where ContinuousClock.now < deadline {
                transport.logger.warning("Cast not confirmed, publishing again", metadata: ["method": "\(what)", "error": "\(why)"])
                await transport.connection.waitUntilConnected()
            } catch AMQPError.brokerRefused(let code, let text) where ContinuousClock.now < deadline {
                transport.logger.warning("Cast refused, publishing again", metadata: ["method": "\(what)", "error": "\(code) \(text)"])
                try await Task.sleep(for: .milliseconds(200))
                await transport.connection.waitUntilConnected()
            }
        }
    }
}
