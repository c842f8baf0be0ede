import Foundation
import Logging
import Synchronization

/// Settings of the RPC layer (oslo.messaging's options of the same names).
public struct MessagingConfiguration: Sendable {
    public var amqp: AMQPConfiguration
    /// The topic exchange for RPC and notifications (`control_exchange`).
    public var controlExchange: String
    /// Default call timeout (`rpc_response_timeout`), seconds.
    public var rpcResponseTimeout: Double
    /// How long a server retries a reply whose queue is missing (`kombu_missing_consumer_retry_timeout`).
    public var missingConsumerRetryTimeout: Double
    /// oslo's `amqp_durable_queues`: the control exchange, topic queues and notification
    /// queues survive a broker restart, so persistent casts are not lost. Cirrus defaults to
    /// true (oslo to false): Python oslo peers on the same exchange must set it too.
    public var durableQueues: Bool

    public init(
        amqp: AMQPConfiguration, controlExchange: String = "cirrus", rpcResponseTimeout: Double = 60,
        missingConsumerRetryTimeout: Double = 60, durableQueues: Bool = true
    ) {
        self.amqp = amqp
        self.controlExchange = controlExchange
        self.rpcResponseTimeout = rpcResponseTimeout
        self.missingConsumerRetryTimeout = missingConsumerRetryTimeout
        self.durableQueues = durableQueues
    }
}

/// One process's messaging: a single AMQP connection shared by its RPC clients, servers,
/// notifier and listeners, the reply queue `reply_<uuid hex>` and the retry of replies whose
/// queue is briefly missing.
public final class MessagingTransport: Sendable {
    public let configuration: MessagingConfiguration
    public let connection: AMQPConnection
    public let logger: Logger
    let replies: ReplyWaiter
    let returnedReplies: ReturnedReplyRetrier
    /// This process's reply queue.
    public let replyQueue = "reply_" + OutgoingRequest.newID()
    private let setup = Mutex<[String: Task<Void, any Error>]>([:])
    /// Set once the control exchange, and the reply queue with its consumer, are declared:
    /// every call checks both, and then needs no lock or key. (The connection declares its
    /// topology again after a reconnect.)
    private let controlExchangeReady = Atomic<Bool>(false)
    private let replyQueueReady = Atomic<Bool>(false)

    public init(configuration: MessagingConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.connection = AMQPConnection(configuration: configuration.amqp, logger: logger)
        self.replies = ReplyWaiter(logger: logger)
        self.returnedReplies = ReturnedReplyRetrier(
            timeout: configuration.missingConsumerRetryTimeout, logger: logger)
        let (retrier, conn, replies) = (returnedReplies, connection, replies)
        connection.setReturnHandler { message in
            // A call request nothing serves (published mandatory, carrying its msg id):
            // its caller fails now instead of at its timeout.
            if !message.exchange.isEmpty, let id = message.correlationID,
                replies.undeliverable(msgID: id, exchange: message.exchange)
            {
                return
            }
            retrier.returned(message, connection: conn)
        }
    }

    public var controlExchange: String { configuration.controlExchange }

    /// Runs `work` once per key for the life of the transport (declarations); concurrent
    /// callers wait for the same attempt, a failed attempt is retried by the next caller.
    func once(_ key: String, _ work: @escaping @Sendable () async throws -> Void) async throws {
        let task = setup.withLock { tasks -> Task<Void, any Error> in
            if let t = tasks[key] { return t }
            let t = Task { try await work() }
            tasks[key] = t
            return t
        }
        do {
            try await task.value
        } catch {
            setup.withLock { tasks in
                if tasks[key] == task { tasks[key] = nil }
            }
            throw error
        }
    }

    /// Declares the control exchange as oslo does (topic, not auto-deleted, durable per
    /// `amqp_durable_queues`), so Python oslo.messaging peers can declare it too.
    public func ensureControlExchange() async throws {
        if controlExchangeReady.load(ordering: .acquiring) { return }
        let name = controlExchange
        let durable = configuration.durableQueues
        try await once("exchange:" + name) { [connection] in
            try await connection.declare(ExchangeSpec(name: name, kind: .topic, durable: durable))
        }
        controlExchangeReady.store(true, ordering: .releasing)
    }

    /// Declares a fanout exchange `<topic>_fanout` as oslo does (auto-deleted).
    public func ensureFanoutExchange(topic: String) async throws {
        let name = topic + "_fanout"
        try await once("exchange:" + name) { [connection] in
            try await connection.declare(ExchangeSpec(name: name, kind: .fanout, autoDelete: true))
        }
    }

    /// Declares and consumes this process's reply queue (once).
    func ensureReplyQueue() async throws {
        if replyQueueReady.load(ordering: .acquiring) { return }
        let queue = replyQueue
        try await once("reply") { [connection, replies] in
            try await connection.declare(QueueSpec(name: queue, arguments: ["x-expires": .int32(1_800_000)]))
            try await connection.consume(queue: queue, noAck: true) { delivery in
                replies.deliver(delivery.body)
            }
        }
        replyQueueReady.store(true, ordering: .releasing)
    }

    /// Whether calls can go out without declaring anything first (the usual case).
    var readyForCalls: Bool {
        controlExchangeReady.load(ordering: .acquiring) && replyQueueReady.load(ordering: .acquiring)
    }

    /// Fails pending calls and closes the connection.
    public func shutdown() async {
        replies.close()
        await connection.shutdown()
    }
}
