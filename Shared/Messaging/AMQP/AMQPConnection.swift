import CRabbitMQ
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A self-healing AMQP connection owned by one thread.
///
/// librabbitmq is not thread-safe, so every call into it happens on this object's own thread;
/// callers queue commands and are woken through continuations. The thread reconnects with
/// exponential backoff and jitter (failing over between the transport URL's brokers) and
/// replays every declared exchange, queue, binding and consumer on the new connection.
/// Publishes queued while disconnected go out once connected again.
///
/// The connection is also a `TaskExecutor`: tasks started with it as executor preference
/// (RPC handlers, latency-sensitive callers) run on the connection thread itself, so a
/// request, its handler and its reply cross no thread boundary, and their publishes, acks
/// and rejects go straight to the socket.
public final class AMQPConnection: TaskExecutor, @unchecked Sendable {
    private struct Shared {
        var commands: [AMQPCommand] = []
        var sleeping = false
        var connected = false
        var finished = false
        var connectWaiters: [CheckedContinuation<Void, Never>] = []
        var returnHandler: (@Sendable (ReturnedMessage) -> Void)?
        var nextTag = 0
        var socketFD: Int32 = -1
        var connects: UInt64 = 0
        var failedConnects: UInt64 = 0
        var lastConnectError: String?
    }

    public let configuration: AMQPConfiguration
    let logger: Logger
    private let shared = Mutex(Shared())
    private let wakeFD: Int32

    // Owned by the connection thread only.
    private var link: AMQPLink?
    private var topology: [AMQPTopologyItem] = []
    private var handlers: [String: @Sendable (Delivery) -> Void] = [:]
    /// Consumers whose deliveries we ack (not `no_ack`).
    private var manualAckConsumers: Set<String> = []
    /// Acks recorded by handlers, sent coalesced once per loop turn (connection thread only).
    private var acks = AckCoalescer()
    private var confirms = ConfirmTracker()
    private var generation: UInt64 = 0
    private var lastInbound = ContinuousClock.now
    /// The socket may have bytes librabbitmq has not read (false only right after a `poll`
    /// that found none, or once a read has emptied its buffer).
    private var inputMayBeWaiting = true
    private var brokerIndex: Int
    private var localJobs: [UnownedJob] = []
    private var runningJobs: [UnownedJob] = []
    private var inlineFailure: (any Error)?
    private let threadID = Atomic<UInt>(0)

    /// Creates the connection and starts its thread, which connects in the background.
    public init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.wakeFD = cirrus_eventfd()
        self.brokerIndex = Int.random(in: 0..<max(configuration.transportURL.brokers.count, 1))
        let thread = Thread { [self] in self.threadMain() }
        thread.name = "amqp"
        thread.start()
    }

    deinit {
        close(wakeFD)
    }

    /// How many times a connection was established (1 after the first connect; grows with
    /// every reconnect): lets operators' tools and tests see that a reconnect happened.
    public var connectCount: UInt64 { shared.withLock { $0.connects } }

    /// Whether the connection is up right now.
    public var isConnected: Bool { shared.withLock { $0.connected } }

    /// Connection attempts that failed so far and the last one's error, naming the broker (for
    /// operators' tools, which say why the bus cannot be reached instead of timing out).
    public var connectFailures: (count: UInt64, lastError: String?) {
        shared.withLock { ($0.failedConnects, $0.lastConnectError) }
    }

    /// Returns once connected (immediately if already).
    public func waitUntilConnected() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = shared.withLock { s -> Bool in
                if s.connected || s.finished { return true }
                s.connectWaiters.append(c)
                return false
            }
            if ready { c.resume() }
        }
    }

    /// Called on the connection thread for mandatory messages the broker could not route.
    public func setReturnHandler(_ handler: @escaping @Sendable (ReturnedMessage) -> Void) {
        shared.withLock { $0.returnHandler = handler }
    }

    // MARK: - Topology

    /// Declares an exchange now and after every reconnect.
    public func declare(_ exchange: ExchangeSpec) async throws {
        try await run { .declare(.exchange(exchange), remember: true, done: $0) }
    }

    /// Declares a queue now and after every reconnect.
    public func declare(_ queue: QueueSpec) async throws {
        try await run { .declare(.queue(queue), remember: true, done: $0) }
    }

    /// Binds a queue now and after every reconnect.
    public func bind(_ binding: BindingSpec) async throws {
        try await run { .declare(.binding(binding), remember: true, done: $0) }
    }

    /// Limits unacknowledged deliveries per consumer created afterwards.
    public func setPrefetch(_ count: UInt16) async throws {
        try await run { .declare(.prefetch(count), remember: true, done: $0) }
    }

    /// Starts consuming `queue`; `handler` runs on the connection thread and must only hand
    /// the delivery on. Returns the consumer tag.
    @discardableResult
    public func consume(
        queue: String, noAck: Bool, handler: @escaping @Sendable (Delivery) -> Void
    ) async throws -> String {
        let tag = shared.withLock { s -> String in
            s.nextTag += 1
            return "cirrus-\(ProcessInfo.processInfo.processIdentifier)-\(s.nextTag)"
        }
        try await run { .consume(queue: queue, tag: tag, noAck: noAck, handler: handler, done: $0) }
        return tag
    }

    /// Stops a consumer (no more deliveries; unacked ones can still be acked).
    public func cancel(consumerTag: String) async throws {
        try await run { .cancel(tag: consumerTag, done: $0) }
    }

    /// Deletes a queue and forgets its declaration.
    public func deleteQueue(_ name: String) async throws {
        try await run { .deleteQueue(name, done: $0) }
    }

    // MARK: - Messages

    /// Publishes and returns once the broker has confirmed it (publisher confirms).
    public func publishConfirmed(_ message: OutgoingMessage) async throws {
        try await run { .publish(message, confirm: $0) }
    }

    /// Queues a publish without waiting for anything (replies, call requests). It goes out on
    /// a channel without publisher confirms; use ``publishConfirmed(_:)`` for anything that
    /// must not be lost.
    public func publish(_ message: OutgoingMessage) {
        enqueue(.publish(message, confirm: nil))
    }

    /// Acknowledges a delivery; dropped when it came from an earlier connection.
    public func ack(_ delivery: Delivery) {
        enqueue(.ack(delivery.deliveryTag, generation: delivery.generation))
    }

    /// Rejects a delivery (requeue or drop).
    public func reject(_ delivery: Delivery, requeue: Bool) {
        enqueue(.reject(delivery.deliveryTag, generation: delivery.generation, requeue: requeue))
    }

    /// Cancels consumers, deletes temporary queues, closes the connection and ends the thread.
    public func shutdown() async {
        let finished = shared.withLock { $0.finished }
        if finished { return }
        try? await run { .shutdown(done: $0) }
    }

    /// Fault injection for tests and chaos runs: breaks the TCP connection as a network
    /// failure would, so the reconnect path runs.
    public func dropConnectionForTesting() {
        let fd = shared.withLock { $0.socketFD }
        if fd >= 0 { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
    }

    // MARK: - Executor

    /// Whether the caller runs on the connection thread.
    public var isOnConnectionThread: Bool {
        threadID.load(ordering: .relaxed) == UInt(pthread_self())
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        if isOnConnectionThread {
            localJobs.append(unowned)
        } else if !enqueue(.job(unowned)) {
            // Shut down: run it anyway (on the caller's thread) rather than leak the task.
            unowned.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Runs the jobs queued from the connection thread itself (bounded, so I/O is not starved).
    private func runLocalJobs() {
        var budget = 1024
        while !localJobs.isEmpty, budget > 0 {
            // Swap buffers: jobs queued while this batch runs go to the other one, and neither
            // is reallocated turn after turn.
            swap(&localJobs, &runningJobs)
            for job in runningJobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
            budget -= runningJobs.count
            runningJobs.removeAll(keepingCapacity: true)
        }
    }

    /// Publishes, acks or rejects right away when called on the connection thread with the
    /// link up and nothing queued before it; false when the command must be queued.
    private func tryInline(_ command: AMQPCommand) -> Bool {
        guard isOnConnectionThread, inlineFailure == nil, let link else { return false }
        guard shared.withLock({ $0.commands.isEmpty }) else { return false }
        do {
            switch command {
            case .publish(let message, let confirm):
                try send(message, confirm: confirm, on: link)
            case .ack(let tag, let gen):
                recordAck(tag, generation: gen)
            case .reject(let tag, let gen, let requeue):
                try reject(tag, generation: gen, requeue: requeue, on: link)
            default:
                return false
            }
        } catch {
            inlineFailure = error  // the loop reconnects after the current job
        }
        return true
    }

    // MARK: - Queueing

    private func run(_ make: (@escaping AMQPCommand.Completion) -> AMQPCommand) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let command = make { c.resume(with: $0) }
            if !enqueue(command) { c.resume(throwing: AMQPError.closed) }
        }
    }

    @discardableResult
    private func enqueue(_ command: AMQPCommand) -> Bool {
        if tryInline(command) { return true }
        let (accepted, wake) = shared.withLock { s -> (Bool, Bool) in
            guard !s.finished else { return (false, false) }
            s.commands.append(command)
            let wake = s.sleeping
            s.sleeping = false
            return (true, wake)
        }
        if wake {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
        return accepted
    }
}

// MARK: - The connection thread

extension AMQPConnection {
    private var brokers: [TransportURL.Broker] { configuration.transportURL.brokers }

    private func threadMain() {
        threadID.store(UInt(pthread_self()), ordering: .relaxed)
        var backoff = Backoff(initial: configuration.retryInterval, maximum: configuration.retryMaximum)
        while true {
            if link == nil {
                if takeShutdownWhileDisconnected() { break }
                let broker = brokers[brokerIndex % brokers.count]
                do {
                    try connect(broker)
                    backoff.reset()
                } catch {
                    brokerIndex += 1
                    shared.withLock {
                        $0.failedConnects += 1
                        $0.lastConnectError = "\(error)"
                    }
                    let delay = backoff.next()
                    logger.error("Cannot connect to AMQP server", metadata: [
                        "broker": "\(broker)", "error": "\(error)", "retry_in_s": "\(String(format: "%.1f", delay))",
                    ])
                    sleep(seconds: delay)
                    continue
                }
            }
            do {
                if try runCommands() { break }
                try pumpEvents()
                runLocalJobs()
                if let e = inlineFailure {
                    inlineFailure = nil
                    throw e
                }
                try flushAcks()
                try link?.flushOutput()  // this turn's publishes, acks and rejects: one send
                try checkHeartbeat()
                try waitForActivity()
            } catch {
                disconnected(error)
            }
        }
        let waiters = shared.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.finished = true
            s.connected = false
            defer { s.connectWaiters = [] }
            return s.connectWaiters
        }
        waiters.forEach { $0.resume() }
    }

    private func connect(_ broker: TransportURL.Broker) throws {
        let newLink = try AMQPLink.open(
            broker: broker, virtualHost: configuration.transportURL.virtualHost,
            heartbeat: configuration.heartbeatSeconds, connectionName: configuration.connectionName)
        setUserTimeout(newLink.socketDescriptor)
        do {
            for item in topology { try item.apply(to: newLink) }
        } catch {
            newLink.abort()
            throw error
        }
        link = newLink
        inputMayBeWaiting = true
        generation += 1
        acks.reset()  // a new channel: the broker redelivers what was not acked
        lastInbound = .now
        logger.info("Connected to AMQP server", metadata: [
            "broker": "\(broker)", "vhost": "\(configuration.transportURL.virtualHost)",
            "connection": "\(configuration.connectionName)",
        ])
        let fd = newLink.socketDescriptor
        let waiters = shared.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.connected = true
            s.socketFD = fd
            s.connects += 1
            defer { s.connectWaiters = [] }
            return s.connectWaiters
        }
        waiters.forEach { $0.resume() }
    }

    private func disconnected(_ error: any Error) {
        let broker = link?.broker.description ?? "?"
        link?.abort()
        link = nil
        shared.withLock {
            $0.connected = false
            $0.socketFD = -1
        }
        logger.error("AMQP connection lost", metadata: ["broker": "\(broker)", "error": "\(error)"])
        for c in confirms.reset() { c(.failure(AMQPError.connectionLost("\(error)"))) }
        brokerIndex += 1
    }

    /// Executes queued commands; true when the connection was shut down.
    private func runCommands() throws -> Bool {
        let commands = shared.withLock { s -> [AMQPCommand] in
            guard !s.commands.isEmpty else { return [] }  // the usual turn: nothing, no allocation
            defer { s.commands = [] }
            return s.commands
        }
        guard let link else { return false }
        for (i, command) in commands.enumerated() {
            do {
                switch command {
                case .declare(let item, let remember, let done):
                    try item.apply(to: link)
                    if remember { topology.append(item) }
                    done(.success(()))
                case .consume(let queue, let tag, let noAck, let handler, let done):
                    handlers[tag] = handler
                    if !noAck { manualAckConsumers.insert(tag) }
                    let item = AMQPTopologyItem.consumer(queue: queue, tag: tag, noAck: noAck)
                    try item.apply(to: link)
                    topology.append(item)
                    done(.success(()))
                case .cancel(let tag, let done):
                    topology.removeAll { if case .consumer(_, tag, _) = $0 { true } else { false } }
                    try link.cancel(tag: tag)
                    handlers[tag] = nil
                    manualAckConsumers.remove(tag)
                    done(.success(()))
                case .deleteQueue(let name, let done):
                    forgetQueue(name)
                    try link.deleteQueue(name)
                    done(.success(()))
                case .publish(let message, let confirm):
                    try send(message, confirm: confirm, on: link)
                case .ack(let tag, let gen):
                    recordAck(tag, generation: gen)
                case .reject(let tag, let gen, let requeue):
                    try reject(tag, generation: gen, requeue: requeue, on: link)
                case .job(let job):
                    job.runSynchronously(on: asUnownedTaskExecutor())
                    if let e = inlineFailure {
                        inlineFailure = nil
                        throw e
                    }
                case .shutdown(let done):
                    closeGracefully(link)
                    done(.success(()))
                    for rest in commands[(i + 1)...] { fail(rest, AMQPError.closed) }
                    return true
                }
            } catch {
                fail(command, error)
                // The channel is gone after a broker error: requeue the rest for the next connection.
                let rest = Array(commands[(i + 1)...])
                shared.withLock { $0.commands.insert(contentsOf: rest, at: 0) }
                throw error
            }
        }
        return false
    }

    private func fail(_ command: AMQPCommand, _ error: any Error) {
        switch command {
        case .declare(_, _, let done), .consume(_, _, _, _, let done), .cancel(_, let done),
            .deleteQueue(_, let done), .shutdown(let done):
            done(.failure(error))
        case .publish(_, let confirm):
            // A publish that failed on the wire is retried on the next connection by its caller.
            confirm?(.failure(error))
        case .ack, .reject:
            break
        case .job(let job):
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    private func forgetQueue(_ name: String) {
        topology.removeAll {
            switch $0 {
            case .queue(let q): q.name == name
            case .binding(let b): b.queue == name
            case .consumer(let q, _, _): q == name
            default: false
            }
        }
    }

    /// Events handled per turn before the jobs they started run and their output is written;
    /// the rest stay buffered for the next turn (which then does not wait in `poll`).
    /// (16: measured against 8, 32, 64 and unlimited with 64 callers; unlimited made each
    /// process finish a whole wave before the next could start.)
    static let eventsPerTurn = 16

    private func pumpEvents() throws {
        guard let link else { return }
        var any = false
        var budget = Self.eventsPerTurn
        // After one read only librabbitmq's buffer is known to hold more: when it is empty the
        // loop goes on to `poll` instead of asking the socket again (a `recv` that would fail
        // with EAGAIN and a zero-timeout `poll` inside librabbitmq, on every wake).
        while budget > 0, inputMayBeWaiting || link.hasBufferedInput, let event = try link.nextEvent() {
            any = true
            inputMayBeWaiting = false
            budget -= 1
            switch event {
            case .delivery(var d):
                d.generation = generation
                if manualAckConsumers.contains(d.consumerTag) { acks.delivered(d.deliveryTag) }
                handlers[d.consumerTag]?(d)
            case .confirm(let tag, let multiple, let ack):
                for c in confirms.settle(tag: tag, multiple: multiple) {
                    c(ack ? .success(()) : .failure(AMQPError.publishNacked))
                }
            case .returned(let r):
                let handler = shared.withLock { $0.returnHandler }
                if let handler {
                    handler(r)
                } else {
                    logger.warning("Message returned unroutable", metadata: [
                        "routing_key": "\(r.routingKey)", "reply": "\(r.replyCode) \(r.replyText)",
                    ])
                }
            case .consumerCancelled(let tag):
                // The broker cancelled us (queue deleted): reconnecting re-declares it.
                throw AMQPError.connectionLost("consumer \(tag) cancelled by the server")
            case .blocked(let reason):
                logger.warning("AMQP server blocked publishing", metadata: ["reason": "\(reason)"])
            case .unblocked:
                logger.info("AMQP server unblocked publishing")
            }
        }
        if any {
            lastInbound = .now
            link.releaseBuffers()
        }
    }

    /// Publishes: awaited ones on the confirm channel, numbered for their broker ack; the
    /// rest on the plain channel, which sends no confirm back.
    private func send(_ message: OutgoingMessage, confirm: AMQPCommand.Completion?, on link: AMQPLink) throws {
        if let confirm {
            _ = confirms.published(confirm)
            try link.publish(message, confirmed: true)
        } else {
            try link.publish(message, confirmed: false)
        }
    }

    /// Notes a finished delivery for the next ``flushAcks()``; one from an earlier connection
    /// is dropped (the broker redelivers it).
    private func recordAck(_ tag: UInt64, generation gen: UInt64) {
        if gen == generation { acks.acked(tag) }
    }

    /// Rejects at once (requeue or dead-letter) a delivery of the current connection.
    private func reject(_ tag: UInt64, generation gen: UInt64, requeue: Bool, on link: AMQPLink) throws {
        guard gen == generation else { return }
        acks.rejected(tag)
        try link.reject(tag, requeue: requeue)
    }

    /// Queues the acks handlers recorded since the last turn, contiguous runs as one frame.
    private func flushAcks() throws {
        guard acks.hasPending, let link else { return }
        for ack in acks.flush() { try link.ack(ack.tag, multiple: ack.multiple) }
    }

    private func checkHeartbeat() throws {
        let hb = configuration.heartbeatSeconds
        guard hb > 0 else { return }
        if ContinuousClock.now - lastInbound > .seconds(2 * hb) {
            throw AMQPError.connectionLost("missed heartbeats from server, timeout \(hb) s")
        }
    }

    private func waitForActivity() throws {
        inputMayBeWaiting = true  // unless `poll` below says the socket has nothing
        guard let link, !link.hasBufferedInput, localJobs.isEmpty else { return }
        let idle = shared.withLock { s -> Bool in
            guard s.commands.isEmpty else { return false }
            s.sleeping = true
            return true
        }
        guard idle else { return }
        let timeoutMS: Int32 = configuration.heartbeatSeconds > 0
            ? Int32(min(1000, configuration.heartbeatSeconds * 1000 / 4)) : 1000
        var fds = (  // a tuple, not an array: no allocation per wait
            pollfd(fd: link.socketDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)
        )
        let n = withUnsafeMutableBytes(of: &fds) { poll($0.baseAddress!.assumingMemoryBound(to: pollfd.self), 2, timeoutMS) }
        shared.withLock { $0.sleeping = false }
        let socket = fds.0.revents
        if n > 0 {
            if fds.1.revents != 0 {
                var value: UInt64 = 0
                _ = read(wakeFD, &value, 8)
            }
            if socket & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 && socket & Int16(POLLIN) == 0 {
                throw AMQPError.connectionLost("socket closed")
            }
            // Bytes from the broker, heartbeat frames included (librabbitmq consumes those
            // itself, so an idle connection produces no events): the broker is alive.
            if socket & Int16(POLLIN) != 0 { lastInbound = .now }
        }
        inputMayBeWaiting = n < 0 || socket != 0
    }

    private func runJobsWhileDisconnected() {
        let jobs = shared.withLock { s -> [UnownedJob] in
            var jobs: [UnownedJob] = []
            s.commands.removeAll { c in
                if case .job(let j) = c {
                    jobs.append(j)
                    return true
                }
                return false
            }
            return jobs
        }
        for j in jobs { j.runSynchronously(on: asUnownedTaskExecutor()) }
        runLocalJobs()
        inlineFailure = nil
    }

    /// Sleeps for a reconnect delay, waking early for a shutdown request.
    private func sleep(seconds: Double) {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            runJobsWhileDisconnected()
            if shared.withLock({ $0.commands.contains { if case .shutdown = $0 { true } else { false } } }) { return }
            var fds = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            shared.withLock { $0.sleeping = true }
            _ = poll(&fds, 1, 200)
            shared.withLock { $0.sleeping = false }
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
        }
    }

    /// While disconnected, task jobs still run and a shutdown is served; true when it came.
    private func takeShutdownWhileDisconnected() -> Bool {
        runJobsWhileDisconnected()
        let commands = shared.withLock { s -> [AMQPCommand]? in
            guard s.commands.contains(where: { if case .shutdown = $0 { true } else { false } }) else { return nil }
            defer { s.commands = [] }
            return s.commands
        }
        guard let commands else { return false }
        for c in commands {
            if case .shutdown(let done) = c { done(.success(())) } else { fail(c, AMQPError.closed) }
        }
        return true
    }

    private func closeGracefully(_ link: AMQPLink) {
        try? flushAcks()
        for case .consumer(_, let tag, _) in topology { try? link.cancel(tag: tag) }
        for case .queue(let q) in topology where q.deleteOnClose { try? link.deleteQueue(q.name) }
        // Give outstanding confirms a moment to arrive.
        let deadline = ContinuousClock.now + .seconds(2)
        while confirms.outstanding > 0, ContinuousClock.now < deadline {
            do { try pumpEvents() } catch { break }
            if confirms.outstanding > 0 { usleep(2000) }
        }
        for c in confirms.reset() { c(.failure(AMQPError.closed)) }
        link.close()
        self.link = nil
        logger.info("AMQP connection closed", metadata: ["broker": "\(link.broker)"])
    }

    private func setUserTimeout(_ fd: Int32) {
        guard configuration.heartbeatSeconds > 0, fd >= 0 else { return }
        _ = cirrus_set_user_timeout(fd, UInt32(configuration.heartbeatSeconds * 1000))
    }
}
