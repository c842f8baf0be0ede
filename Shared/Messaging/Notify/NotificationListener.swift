import Foundation
import Logging
import Synchronization

/// Consumes `<topic>.<priority>` queues (or a shared pool queue) and acknowledges each
/// notification only after its handler returned, so nothing is lost across a crash.
public final class NotificationListener: Sendable {
    public typealias Handler = @Sendable (ReceivedNotification) async throws -> Void

    let transport: MessagingTransport
    let queues: [String]
    let handler: Handler
    let logger: Logger
    let duplicates = DuplicateFilter()
    private let running = Mutex<(tags: [String], stream: AsyncStream<Delivery>.Continuation?, stopped: Bool)>(([], nil, false))

    /// Listens on `<topic>.<priority>` for each topic and priority.
    public init(
        transport: MessagingTransport, topics: [String] = ["notifications"],
        priorities: [NotificationPriority] = NotificationPriority.allCases, logger: Logger, handler: @escaping Handler
    ) {
        self.transport = transport
        self.queues = topics.flatMap { t in priorities.map { "\(t).\($0.rawValue)" } }
        self.handler = handler
        self.logger = logger
    }

    public func run() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Delivery.self)
        guard running.withLock({ r -> Bool in
            guard !r.stopped else { return false }
            r.stream = continuation
            return true
        }) else { return }
        let conn = transport.connection
        try await transport.ensureControlExchange()
        var tags: [String] = []
        for q in queues {
            try await conn.declare(QueueSpec(name: q, durable: transport.configuration.durableQueues))
            try await conn.bind(BindingSpec(queue: q, exchange: transport.controlExchange, routingKey: q))
            tags.append(try await conn.consume(queue: q, noAck: false) { d in
                if case .terminated = continuation.yield(d) { conn.reject(d, requeue: true) }
            })
        }
        running.withLock { $0.tags = tags }
        for await delivery in stream {
            await handle(delivery)
        }
    }

    public func stop() async {
        let (tags, c) = running.withLock { r -> ([String], AsyncStream<Delivery>.Continuation?) in
            r.stopped = true
            defer { r.tags = [] }
            return (r.tags, r.stream)
        }
        for t in tags { try? await transport.connection.cancel(consumerTag: t) }
        c?.finish()
    }

    private func handle(_ d: Delivery) async {
        let conn = transport.connection
        let n: ReceivedNotification
        do {
            n = try ReceivedNotification.decode(body: d.body, redelivered: d.redelivered)
        } catch {
            logger.error("Dropped unreadable notification", metadata: ["error": "\(error)", "routing_key": "\(d.routingKey)"])
            conn.reject(d, requeue: false)
            return
        }
        if let uid = n.uniqueID, duplicates.seen(uid) {
            conn.ack(d)
            return
        }
        do {
            try await handler(n)
            conn.ack(d)
        } catch {
            n.context.logger(logger).error("Notification handler failed, requeueing", metadata: [
                "event_type": "\(n.eventType)", "error": "\(error)",
            ])
            try? await Task.sleep(for: .milliseconds(500))
            conn.reject(d, requeue: !d.redelivered)
        }
    }
}
