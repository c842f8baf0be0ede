import Messaging

/// How a method is sent.
public enum RPCDelivery: String, Sendable {
    /// Request/reply; the caller waits.
    case call
    /// Fire and forget to one server of the topic (durable, confirmed, at least once).
    case cast
    /// Fire and forget to every server of the topic.
    case fanout
}

/// One method of a versioned RPC API: its name, the version that introduced its current
/// arguments, how it is sent, and its argument and result types (the wire schema).
public struct RPCMethodDescription: Sendable {
    public var name: String
    public var since: RPCVersion
    public var delivery: RPCDelivery
    public var arguments: any (Codable & Sendable).Type
    public var result: any (Codable & Sendable).Type

    public init(
        _ name: String, since: RPCVersion, _ delivery: RPCDelivery, arguments: any (Codable & Sendable).Type,
        result: any (Codable & Sendable).Type = EmptyResult.self
    ) {
        self.name = name
        self.since = since
        self.delivery = delivery
        self.arguments = arguments
        self.result = result
    }
}

/// A versioned RPC API shared by its client proxy and its server: topic, current version,
/// methods. A change to any method's arguments or result is a minor version bump with an
/// optional field; `SchemasTests` enforces it with fingerprints and golden fixtures.
public protocol RPCAPIDescription: SendableMetatype {
    static var topic: String { get }
    /// The version the server side implements and clients send at most.
    static var version: RPCVersion { get }
    static var methods: [RPCMethodDescription] { get }
}

extension RPCAPIDescription {
    /// The method named `name`.
    public static func method(_ name: String) -> RPCMethodDescription? {
        methods.first { $0.name == name }
    }
}

/// The result of a method that returns nothing (`null` on the wire).
public struct EmptyResult: Codable, Sendable, Equatable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encodeNil()
    }
}

/// Arguments of a method that takes none.
public struct NoArguments: Codable, Sendable, Equatable {
    public init() {}
}
