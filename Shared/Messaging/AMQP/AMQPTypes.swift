import Foundation

/// An AMQP field table value (queue arguments, client properties, message headers).
public indirect enum AMQPFieldValue: Sendable, Hashable {
    case bool(Bool)
    case int32(Int32)
    case int64(Int64)
    case string(String)
    case table([String: AMQPFieldValue])
}

/// Exchange kinds Cirrus declares.
public enum ExchangeKind: String, Sendable {
    case topic, fanout, direct
}

/// An exchange declaration, replayed after every reconnect.
public struct ExchangeSpec: Sendable, Hashable {
    public var name: String
    public var kind: ExchangeKind
    public var durable: Bool
    public var autoDelete: Bool

    public init(name: String, kind: ExchangeKind, durable: Bool = false, autoDelete: Bool = false) {
        self.name = name
        self.kind = kind
        self.durable = durable
        self.autoDelete = autoDelete
    }
}

/// A queue declaration, replayed after every reconnect.
public struct QueueSpec: Sendable, Hashable {
    public var name: String
    public var durable: Bool
    public var autoDelete: Bool
    public var exclusive: Bool
    public var arguments: [String: AMQPFieldValue]
    /// Deleted when the connection is closed cleanly (random-named fanout queues).
    public var deleteOnClose: Bool

    public init(
        name: String, durable: Bool = false, autoDelete: Bool = false, exclusive: Bool = false,
        arguments: [String: AMQPFieldValue] = [:], deleteOnClose: Bool = false
    ) {
        self.name = name
        self.durable = durable
        self.autoDelete = autoDelete
        self.exclusive = exclusive
        self.arguments = arguments
        self.deleteOnClose = deleteOnClose
    }
}

/// A queue-to-exchange binding, replayed after every reconnect.
public struct BindingSpec: Sendable, Hashable {
    public var queue: String
    public var exchange: String
    public var routingKey: String

    public init(queue: String, exchange: String, routingKey: String) {
        self.queue = queue
        self.exchange = exchange
        self.routingKey = routingKey
    }
}

/// A message to publish.
public struct OutgoingMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: Data
    /// delivery_mode 2: survives a broker restart in a durable queue.
    public var persistent: Bool
    /// Ask the broker to return the message when no queue takes it.
    public var mandatory: Bool
    /// Per-message TTL in milliseconds (calls expire with their timeout).
    public var expirationMilliseconds: Int?
    public var correlationID: String?
    public var headers: [String: AMQPFieldValue]

    public init(
        exchange: String, routingKey: String, body: Data, persistent: Bool = false, mandatory: Bool = false,
        expirationMilliseconds: Int? = nil, correlationID: String? = nil, headers: [String: AMQPFieldValue] = [:]
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.persistent = persistent
        self.mandatory = mandatory
        self.expirationMilliseconds = expirationMilliseconds
        self.correlationID = correlationID
        self.headers = headers
    }
}

/// A message delivered to one of our consumers.
public struct Delivery: Sendable {
    public var consumerTag: String
    public var deliveryTag: UInt64
    /// Which connection incarnation delivered it: acks for an older one are dropped (the
    /// broker has already requeued the message).
    public var generation: UInt64
    public var redelivered: Bool
    public var exchange: String
    public var routingKey: String
    public var body: Data
    public var correlationID: String?
}

/// A mandatory message the broker could not route (e.g. a reply whose queue is gone).
public struct ReturnedMessage: Sendable {
    public var replyCode: Int
    public var replyText: String
    public var exchange: String
    public var routingKey: String
    public var body: Data
    public var correlationID: String?
}
