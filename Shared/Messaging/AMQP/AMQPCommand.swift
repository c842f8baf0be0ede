/// What callers ask of the connection thread; queued and executed in order.
enum AMQPCommand {
    typealias Completion = @Sendable (Result<Void, any Error>) -> Void

    case declare(AMQPTopologyItem, remember: Bool, done: Completion)
    case consume(queue: String, tag: String, noAck: Bool, handler: @Sendable (Delivery) -> Void, done: Completion)
    case cancel(tag: String, done: Completion)
    case deleteQueue(String, done: Completion)
    case publish(OutgoingMessage, confirm: Completion?)
    case ack(UInt64, generation: UInt64)
    case reject(UInt64, generation: UInt64, requeue: Bool)
    case shutdown(done: Completion)
    /// A task job to run on the connection thread (the connection is a `TaskExecutor`).
    case job(UnownedJob)
}

/// Declarations replayed, in order, on every new connection.
enum AMQPTopologyItem {
    case exchange(ExchangeSpec)
    case queue(QueueSpec)
    case binding(BindingSpec)
    case prefetch(UInt16)
    case consumer(queue: String, tag: String, noAck: Bool)

    func apply(to link: AMQPLink) throws {
        switch self {
        case .exchange(let e): try link.declare(e)
        case .queue(let q): try link.declare(q)
        case .binding(let b): try link.bind(b)
        case .prefetch(let n): try link.qos(prefetch: n)
        case .consumer(let q, let tag, let noAck): try link.consume(queue: q, tag: tag, noAck: noAck)
        }
    }
}
