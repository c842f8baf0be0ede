import Foundation
import Logging

/// What a handler gets besides its arguments: the request as read off the wire and a logger
/// that carries the request id.
public struct RPCRequest: Sendable {
    public var incoming: IncomingRequest
    /// The AMQP message was delivered before (a crash or lost connection happened after it
    /// was first received): the handler must be idempotent.
    public var redelivered: Bool
    private let serverLogger: Logger

    /// `logger` is the server's; ``logger`` adds this request's context and method to it.
    public init(incoming: IncomingRequest, logger: Logger, redelivered: Bool) {
        self.incoming = incoming
        self.serverLogger = logger
        self.redelivered = redelivered
    }

    /// A logger carrying the request id, user, project and method. Made when asked for (a
    /// handler that logs takes it once), so requests whose handling logs nothing do not pay
    /// for its metadata.
    public var logger: Logger {
        var log = incoming.context.logger(serverLogger)
        log[metadataKey: "rpc.method"] = .string(incoming.method)
        return log
    }

    public var context: RequestContext { incoming.context }
    public var isCall: Bool { incoming.isCall }
}

/// The server side of one RPC API version: the methods it implements and the version it
/// declares (oslo's endpoint `target`). Requests are served when the requested version has
/// the same major and a minor not above this one.
public struct RPCEndpoint: Sendable {
    public var namespace: String?
    public var version: RPCVersion
    private(set) var methods: [String: Handler] = [:]

    typealias Handler = @Sendable (RPCRequest) async throws -> String?

    public init(namespace: String? = nil, version: RPCVersion) {
        self.namespace = namespace
        self.version = version
    }

    /// Registers a method; its result is encoded as the reply's `result`.
    public mutating func register<A: Decodable & Sendable, R: Encodable & Sendable>(
        _ method: String, _ handler: @escaping @Sendable (RPCRequest, A) async throws -> R
    ) {
        methods[method] = { request in
            let args: A
            do {
                args = try request.incoming.arguments(A.self)
            } catch {
                throw InvalidArguments(remoteMessage: "arguments of \(method) are invalid: \(OsloEnvelope.describe(error))")
            }
            let result = try await handler(request, args)
            return try WireJSON.encode(ResultBox(result: result))
        }
    }

    /// Registers a method that returns nothing (`result: null`).
    public mutating func register<A: Decodable & Sendable>(
        _ method: String, _ handler: @escaping @Sendable (RPCRequest, A) async throws -> Void
    ) {
        methods[method] = { request in
            let args: A
            do {
                args = try request.incoming.arguments(A.self)
            } catch {
                throw InvalidArguments(remoteMessage: "arguments of \(method) are invalid: \(OsloEnvelope.describe(error))")
            }
            try await handler(request, args)
            return nil
        }
    }

    /// Names of the registered methods.
    public var methodNames: [String] { methods.keys.sorted() }

    func handler(for method: String) -> Handler? { methods[method] }
}

/// Encodes a result as a bare JSON value. Top-level scalars need no wrapper; the wrapper keeps
/// JSONEncoder's answer for a result that encodes nothing: `{}` (bare, it throws).
private struct ResultBox<R: Encodable>: Encodable {
    let result: R
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(result)
    }
}
