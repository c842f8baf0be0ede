import Foundation
import Logging
import Synchronization

/// Serves RPC endpoints on a topic as an oslo.messaging server with `Target(topic, server=host)`:
/// consumes `<topic>`, `<topic>.<host>` and a private queue on `<topic>_fanout`.
///
/// Delivery semantics: calls are acknowledged on receipt and answered (their caller retries);
/// casts are acknowledged only after their handler returned (at least once), retried a few
/// times when the handler fails, and dead-lettered with the reason when they cannot succeed.
/// Duplicates (`_unique_id`) are dropped. Nothing a peer sends can stop the server.
public final class RPCServer: Sendable {
    public struct Options: Sendable {
        /// Unacknowledged deliveries in flight (also the handler concurrency).
        public var prefetch: UInt16 = 64
        /// Attempts for a failing cast handler before it is dead-lettered.
        public var castAttempts = 3
        /// Run handlers on the connection thread (its TaskExecutor): no thread switch between
        /// request, handler and reply. Only for handlers that never block; off by default.
        public var handlersOnConnectionThread = false
        public init() {}
    }

    public let topic: String
    public let host: String
    let transport: MessagingTransport
    let endpoints: [RPCEndpoint]
    let options: Options
    let logger: Logger
    let duplicates = DuplicateFilter()
    let deadLetters: DeadLetterQueue
    private let fanoutQueue: String
    private let running = Mutex(Running())

    /// Consumers, handlers in flight, and the wait for them to drain on stop.
    private struct Running {
        var tags: [String] = []
        var stopped = false
        var inFlight = 0
        var drained: CheckedContinuation<Void, Never>?
        /// ``run()``'s wait for its declarations (which wait for a broker): ``stop()`` cancels
        /// it, so a daemon told to stop with its broker down does not hang.
        var startup: Task<Void, any Error>?

        /// Takes the waiter once stopped with nothing in flight.
        mutating func takeDrainedWaiter() -> CheckedContinuation<Void, Never>? {
            guard stopped, inFlight == 0 else { return nil }
            defer { drained = nil }
            return drained
        }
    }

    public init(transport: MessagingTransport, topic: String, host: String, endpoints: [RPCEndpoint], options: Options = Options(), logger: Logger) {
        self.transport = transport
        self.topic = topic
        self.host = host
        self.endpoints = endpoints
        self.options = options
        var l = logger
        l[metadataKey: "rpc.topic"] = "\(topic)"
        self.logger = l
        self.deadLetters = DeadLetterQueue(transport: transport, service: "\(topic).\(host)", logger: l)
        self.fanoutQueue = "\(topic)_fanout_" + OutgoingRequest.newID()
    }

    /// Declares the queues, starts consuming and serves until ``stop()`` (or until the calling
    /// task is cancelled, which stops it); then waits for the requests in flight and returns.
    /// `onReady` runs once all consumers are live.
    public func run(onReady: (@Sendable () -> Void)? = nil) async throws {
        let up = try await withTaskCancellationHandler {
            try await started()
        } onCancel: {
            Task { await self.stop() }
        }
        guard up else { return }  // stopped before the consumers were up
        onReady?()
        logger.info("RPC server started", metadata: ["rpc.host": "\(host)", "rpc.version": "\(endpoints.map { "\($0.version)" }.joined(separator: ","))"])
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = running.withLock { r -> Bool in
                    r.drained = c
                    return r.takeDrainedWaiter() != nil
                }
                if now { c.resume() }
            }
        } onCancel: {
            Task { await self.stop() }
        }
        logger.info("RPC server stopped", metadata: ["rpc.host": "\(host)"])
    }

    /// Declares the queues and starts the consumers; false when ``stop()`` came first. The
    /// declarations wait for the broker however long it is away, so they are awaited through
    /// ``withDeadline(seconds:onTimeout:_:)``, which ``stop()`` can cancel; if they finish
    /// after a stop, they cancel the consumers they made.
    private func started() async throws -> Bool {
        let startup = running.withLock { r -> Task<Void, any Error>? in
            guard !r.stopped else { return nil }
            let t = Task { try await withDeadline(seconds: nil) { try await self.declareAndConsume() } }
            r.startup = t
            return t
        }
        guard let startup else { return false }
        do {
            try await startup.value
        } catch is CancellationError where running.withLock({ $0.stopped }) {
            return false
        }
        return true
    }

    /// Stops consuming; ``run()`` returns once the handlers in flight have finished.
    public func stop() async {
        let (tags, startup) = running.withLock { r -> ([String], Task<Void, any Error>?) in
            r.stopped = true
            defer {
                r.tags = []
                r.startup = nil
            }
            return (r.tags, r.startup)
        }
        startup?.cancel()
        for tag in tags { try? await transport.connection.cancel(consumerTag: tag) }
        running.withLock { $0.takeDrainedWaiter() }?.resume()
    }

    /// Starts a handler task for a delivery (called on the connection thread). With
    /// `handlersOnConnectionThread` the request, its handler and its reply cross no thread
    /// boundary (the benchmark's mode); by default handlers run on the shared pool. Once
    /// stopped, deliveries still arriving go back to the queue for another server.
    private func dispatch(_ delivery: Delivery) {
        let accepted = running.withLock { r -> Bool in
            guard !r.stopped else { return false }
            r.inFlight += 1
            return true
        }
        guard accepted else {
            transport.connection.reject(delivery, requeue: true)
            return
        }
        let executor: (any TaskExecutor)? = options.handlersOnConnectionThread ? transport.connection : nil
        Task(executorPreference: executor) {
            await self.handle(delivery)
            let waiter = self.running.withLock { r -> CheckedContinuation<Void, Never>? in
                r.inFlight -= 1
                return r.takeDrainedWaiter()
            }
            waiter?.resume()
        }
    }

    private func declareAndConsume() async throws {
        let conn = transport.connection
        try await transport.ensureControlExchange()
        try await transport.ensureFanoutExchange(topic: topic)
        try await deadLetters.declare()
        try await conn.setPrefetch(options.prefetch)
        let exchange = transport.controlExchange
        let queues = [topic, "\(topic).\(host)"]
        for q in queues {
            try await conn.declare(QueueSpec(name: q, durable: transport.configuration.durableQueues))
            try await conn.bind(BindingSpec(queue: q, exchange: exchange, routingKey: q))
        }
        try await conn.declare(QueueSpec(name: fanoutQueue, arguments: ["x-expires": .int32(1_800_000)], deleteOnClose: true))
        try await conn.bind(BindingSpec(queue: fanoutQueue, exchange: "\(topic)_fanout", routingKey: ""))
        var tags: [String] = []
        for q in queues + [fanoutQueue] {
            let tag = try await conn.consume(queue: q, noAck: false) { [weak self] delivery in
                guard let self else { return conn.reject(delivery, requeue: true) }
                self.dispatch(delivery)
            }
            tags.append(tag)
        }
        let stoppedMeanwhile = running.withLock { r -> Bool in
            if r.stopped { return true }
            r.tags = tags
            return false
        }
        if stoppedMeanwhile {
            for tag in tags { try? await conn.cancel(consumerTag: tag) }
        }
    }

    // MARK: - Handling one message

    func handle(_ delivery: Delivery) async {
        let conn = transport.connection
        let request: IncomingRequest
        do {
            request = try IncomingRequest.decode(body: delivery.body)
        } catch {
            await deadLetters.send(delivery, reason: "\(error)")
            return
        }
        let rpc = RPCRequest(incoming: request, logger: logger, redelivered: delivery.redelivered)
        if let uid = request.uniqueID, duplicates.seen(uid) {
            rpc.logger.info("Dropped duplicate message", metadata: ["rpc.unique_id": "\(uid)"])
            conn.ack(delivery)
            return
        }
        if request.isCall {
            conn.ack(delivery)  // a call's caller retries; oslo acks calls on receipt too
            await serveCall(rpc)
        } else {
            await serveCast(rpc, delivery)
        }
    }

    private func serveCall(_ rpc: RPCRequest) async {
        let req = rpc.incoming
        switch RPCDispatcher.decide(req, endpoints: endpoints) {
        case .ping:
            reply(req, result: "\"pong\"", failure: nil)
        case .reject(let error):
            rpc.logger.warning("Rejected call", metadata: ["error": "\(RemoteError(from: error).message)"])
            reply(req, result: nil, failure: RemoteError(from: error))
        case .handle(let handler):
            let outcome: Result<String?, any Error>
            if let t = req.callMonitorTimeout, t > 0 {
                outcome = await withHeartbeats(req, every: t / 2) { await Self.invoke(handler, rpc) }
            } else {
                outcome = await Self.invoke(handler, rpc)
            }
            switch outcome {
            case .success(let json):
                reply(req, result: json, failure: nil)
            case .failure(let error):
                logFailure(error, rpc.logger)
                reply(req, result: nil, failure: RemoteError(from: error))
            }
        }
    }

    private func serveCast(_ rpc: RPCRequest, _ delivery: Delivery) async {
        switch RPCDispatcher.decide(rpc.incoming, endpoints: endpoints) {
        case .ping:
            transport.connection.ack(delivery)
        case .reject(let error):
            await deadLetters.send(delivery, reason: RemoteError(from: error).message, logger: rpc.logger)
        case .handle(let handler):
            var attempt = 1
            while true {
                switch await Self.invoke(handler, rpc) {
                case .success:
                    transport.connection.ack(delivery)
                    return
                case .failure(let error):
                    let permanent = error is InvalidArguments
                    if permanent || attempt >= options.castAttempts {
                        logFailure(error, rpc.logger)
                        await deadLetters.send(delivery, reason: "\(RemoteError(from: error).className): \(RemoteError(from: error).message) (after \(attempt) attempt(s))", logger: rpc.logger)
                        return
                    }
                    rpc.logger.warning("Cast handler failed, retrying", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                    try? await Task.sleep(for: .milliseconds(200 * attempt * attempt))
                    attempt += 1
                }
            }
        }
    }

    private static func invoke(_ handler: RPCEndpoint.Handler, _ rpc: RPCRequest) async -> Result<String?, any Error> {
        do {
            return .success(try await handler(rpc))
        } catch {
            return .failure(error)
        }
    }

    private func withHeartbeats(
        _ req: IncomingRequest, every seconds: Double, _ work: @escaping @Sendable () async -> Result<String?, any Error>
    ) async -> Result<String?, any Error> {
        await withTaskGroup(of: Result<String?, any Error>?.self) { group in
            group.addTask { await work() }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int(max(seconds, 0.05) * 1000)))
                    if Task.isCancelled { break }
                    self.heartbeat(req)
                }
                return nil
            }
            var result: Result<String?, any Error> = .success(nil)
            for await r in group {
                if let r {
                    result = r
                    group.cancelAll()
                }
            }
            return result
        }
    }

    private func logFailure(_ error: any Error, _ log: Logger) {
        if let c = error as? any RemoteErrorConvertible, type(of: c).isExpected {
            log.info("Request failed with expected error", metadata: ["error": "\(type(of: c).remoteClassName): \(c.remoteMessage)"])
        } else {
            log.error("Request handler failed", metadata: ["error": "\(error)"])
        }
    }

    private func heartbeat(_ req: IncomingRequest) {
        guard let msgID = req.msgID, let q = req.replyQueue else { return }
        transport.connection.publish(OutgoingMessage(
            exchange: "", routingKey: q, body: RPCReply.encode(msgID: msgID, resultJSON: nil, failureJSON: nil, ending: false),
            mandatory: true, correlationID: msgID))
    }

    private func reply(_ req: IncomingRequest, result: String?, failure: RemoteError?) {
        guard let msgID = req.msgID, let q = req.replyQueue else { return }
        transport.connection.publish(OutgoingMessage(
            exchange: "", routingKey: q,
            body: RPCReply.encode(msgID: msgID, resultJSON: result, failureJSON: failure?.failureJSON),
            mandatory: true, correlationID: msgID))
    }
}
