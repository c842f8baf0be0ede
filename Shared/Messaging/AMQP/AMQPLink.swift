import CRabbitMQ
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One open librabbitmq connection with two channels: channel 1 in confirm mode carries
/// topology and confirmed publishes (casts, notifications, dead letters); plain channel 2
/// carries consumers, their acks and the publishes nobody awaits a confirm for (call
/// requests, replies, call-monitor heartbeats). The broker sends no confirm frame back for
/// those, and a call's request, its ack and its reply pass through one channel process in
/// the broker, as with a plain librabbitmq client.
///
/// Not thread-safe (librabbitmq isn't): it lives on the owning ``AMQPConnection``'s thread and
/// is replaced, never repaired, when anything fails.
final class AMQPLink {
    /// Something the broker sent that is not the answer to a synchronous method.
    enum Event {
        case delivery(Delivery)
        case confirm(tag: UInt64, multiple: Bool, ack: Bool)
        case returned(ReturnedMessage)
        case consumerCancelled(String)
        case blocked(String)
        case unblocked
    }

    static let channel: amqp_channel_t = 1
    static let plainChannel: amqp_channel_t = 2
    /// Queued publish bytes that are written at once rather than at the end of the turn, so
    /// the broker and the peer start on a batch while the rest of it is still being made.
    /// (8 KiB, about ten call requests: chosen by measuring 4, 8, 16 and 32 KiB with 64 callers.)
    static let flushBytes = 8192
    let state: amqp_connection_state_t
    let broker: TransportURL.Broker
    private var closed = false
    /// Publishes not yet written (see ``flushOutput()``).
    private var output = AMQPFrameWriter(frameMax: 131_072)
    /// Acks and rejects not yet written; they go out ahead of the publishes of the same turn
    /// (see ``flushOutput()``).
    private var settlements = AMQPFrameWriter(frameMax: 131_072)
    /// How long a blocked `send` may wait for the broker to read before the link is given up.
    private var sendTimeoutMS: Int32 = 60_000

    private init(state: amqp_connection_state_t, broker: TransportURL.Broker) {
        self.state = state
        self.broker = broker
    }

    deinit {
        if !closed { amqp_destroy_connection(state) }
    }

    /// Opens a TCP connection, logs in, opens channel 1 in confirm mode and plain channel 2.
    static func open(
        broker: TransportURL.Broker, virtualHost: String, heartbeat: Int, connectionName: String,
        timeoutSeconds: Int = 10
    ) throws -> AMQPLink {
        guard let state = amqp_new_connection() else {
            throw AMQPError.connectFailed(broker: broker.description, reason: "out of memory")
        }
        let link = AMQPLink(state: state, broker: broker)
        guard let socket = amqp_tcp_socket_new(state) else {
            throw AMQPError.connectFailed(broker: broker.description, reason: "cannot create socket")
        }
        var tv = cirrus_timeval(timeoutSeconds, 0)
        errno = 0
        let status = amqp_socket_open_noblock(socket, broker.host, Int32(broker.port), &tv)
        guard status == AMQP_STATUS_OK.rawValue else {
            var reason = String(cString: amqp_error_string2(status))
            // librabbitmq says only "a socket error occurred"; errno sometimes says which (not
            // for a refused non-blocking connect, which leaves EINPROGRESS behind).
            let code = errno
            if status == AMQP_STATUS_SOCKET_ERROR.rawValue, code != 0, code != EINPROGRESS, code != EAGAIN {
                reason += " (\(String(cString: strerror(code))))"
            }
            throw AMQPError.connectFailed(broker: broker.description, reason: reason)
        }
        // Synchronous methods (declare, consume ...) must not hang forever on a stuck broker.
        var rpcTimeout = cirrus_timeval(30, 0)
        amqp_set_rpc_timeout(state, &rpcTimeout)
        let arena = AMQPArena()
        var properties = arena.table([
            "product": .string("cirrus"),
            "connection_name": .string(connectionName),
            "capabilities": .table([
                "consumer_cancel_notify": .bool(true),
                "connection.blocked": .bool(true),
                "authentication_failure_close": .bool(true),
                "publisher_confirms": .bool(true),
            ]),
        ])
        let reply = cirrus_login(
            state, virtualHost, 0, 131_072, Int32(heartbeat), &properties, broker.user, broker.password)
        try link.check(reply, "login")
        amqp_channel_open(state, channel)
        try link.check(amqp_get_rpc_reply(state), "channel.open")
        amqp_confirm_select(state, channel)
        try link.check(amqp_get_rpc_reply(state), "confirm.select")
        amqp_channel_open(state, plainChannel)
        try link.check(amqp_get_rpc_reply(state), "channel.open")
        let frameMax = Int(amqp_get_frame_max(state))  // negotiated: both writers split bodies by it
        link.output = AMQPFrameWriter(frameMax: frameMax)
        link.settlements = AMQPFrameWriter(frameMax: frameMax)
        link.sendTimeoutMS = heartbeat > 0 ? Int32(min(heartbeat * 2, 600) * 1000) : 60_000
        return link
    }

    var socketDescriptor: Int32 { amqp_get_sockfd(state) }

    /// Whether frames are already read and waiting (no need to poll the socket).
    var hasBufferedInput: Bool {
        amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0
    }

    // MARK: - Synchronous methods

    func declare(_ e: ExchangeSpec) throws {
        do {
            try synchronous("exchange.declare \(e.name)") { a in
                _ = amqp_exchange_declare(
                    state, Self.channel, a.bytes(e.name), a.bytes(e.kind.rawValue), 0,
                    e.durable ? 1 : 0, e.autoDelete ? 1 : 0, 0, amqp_empty_table)
            }
        } catch AMQPError.brokerRefused(406, let text) {
            throw AMQPError.brokerRefused(code: 406, text: "\(text); the exchange exists with other flags: set [oslo_messaging_rabbit] amqp_durable_queues the same on every service of this exchange")
        }
    }

    func declare(_ q: QueueSpec) throws {
        do {
            try synchronous("queue.declare \(q.name)") { a in
                _ = amqp_queue_declare(
                    state, Self.channel, a.bytes(q.name), 0, q.durable ? 1 : 0, q.exclusive ? 1 : 0,
                    q.autoDelete ? 1 : 0, a.table(q.arguments))
            }
        } catch AMQPError.brokerRefused(406, let text) {
            throw AMQPError.brokerRefused(code: 406, text: "\(text); the queue exists with other flags (durable=\(!q.durable)?): set [oslo_messaging_rabbit] amqp_durable_queues the same on every service of this exchange, or delete the queue")
        }
    }

    func bind(_ b: BindingSpec) throws {
        try synchronous("queue.bind \(b.queue)") { a in
            _ = amqp_queue_bind(
                state, Self.channel, a.bytes(b.queue), a.bytes(b.exchange), a.bytes(b.routingKey), amqp_empty_table)
        }
    }

    func qos(prefetch: UInt16) throws {
        try synchronous("basic.qos") { _ in _ = amqp_basic_qos(state, Self.plainChannel, 0, prefetch, 0) }
    }

    func consume(queue: String, tag: String, noAck: Bool) throws {
        try synchronous("basic.consume \(queue)") { a in
            _ = amqp_basic_consume(
                state, Self.plainChannel, a.bytes(queue), a.bytes(tag), 0, noAck ? 1 : 0, 0, amqp_empty_table)
        }
    }

    func cancel(tag: String) throws {
        try synchronous("basic.cancel \(tag)") { a in _ = amqp_basic_cancel(state, Self.plainChannel, a.bytes(tag)) }
    }

    func deleteQueue(_ name: String) throws {
        try synchronous("queue.delete \(name)") { a in _ = amqp_queue_delete(state, Self.channel, a.bytes(name), 0, 0) }
    }

    /// Sends one synchronous method and waits for its reply. What this link has queued goes
    /// out first, so librabbitmq's own frames never interleave with ours.
    private func synchronous(_ what: String, _ send: (AMQPArena) -> Void) throws {
        try flushOutput()
        let arena = AMQPArena()
        send(arena)
        try check(amqp_get_rpc_reply(state), what)
    }

    // MARK: - Asynchronous methods

    /// Queues a publish on the confirm channel (the broker will ack it by sequence number)
    /// or, when `confirmed` is false, on the plain channel (no confirm comes back). It goes
    /// out with the next ``flushOutput()``.
    func publish(_ m: OutgoingMessage, confirmed: Bool) throws {
        var props = amqp_basic_properties_t()
        props._flags = CIRRUS_FLAG_CONTENT_TYPE | CIRRUS_FLAG_CONTENT_ENCODING | CIRRUS_FLAG_DELIVERY_MODE
        props.content_type = Self.bytes("application/json")  // constants: read in place too
        props.content_encoding = Self.bytes("utf-8")
        props.delivery_mode = m.persistent ? 2 : 1
        let arena = m.headers.isEmpty ? nil : AMQPArena()
        if let arena {
            props._flags |= CIRRUS_FLAG_HEADERS
            props.headers = arena.table(m.headers)
        }
        // The strings are encoded into the frame buffer right away, so librabbitmq may read
        // them in place: no C copies per message.
        var exchange = m.exchange, routingKey = m.routingKey
        var expiration = m.expirationMilliseconds.map { String(max($0, 0)) } ?? ""
        var correlationID = m.correlationID ?? ""
        try exchange.withUTF8 { exchange in
            try routingKey.withUTF8 { routingKey in
                try expiration.withUTF8 { expirationBytes in
                    try correlationID.withUTF8 { cid in
                        if m.expirationMilliseconds != nil {
                            props._flags |= CIRRUS_FLAG_EXPIRATION
                            props.expiration = Self.bytes(expirationBytes)
                        }
                        if m.correlationID != nil {
                            props._flags |= CIRRUS_FLAG_CORRELATION_ID
                            props.correlation_id = Self.bytes(cid)
                        }
                        try m.body.withUnsafeBytes { body in
                            try output.publish(
                                channel: confirmed ? Self.channel : Self.plainChannel, exchange: Self.bytes(exchange),
                                routingKey: Self.bytes(routingKey), mandatory: m.mandatory, properties: &props, body: body)
                        }
                    }
                }
            }
        }
        withExtendedLifetime(arena) {}
        if output.bytes.count >= Self.flushBytes { try flushOutput() }
    }

    /// Bytes librabbitmq only reads, as its `amqp_bytes_t`.
    private static func bytes(_ b: UnsafeBufferPointer<UInt8>) -> amqp_bytes_t {
        amqp_bytes_t(len: b.count, bytes: b.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) })
    }

    private static func bytes(_ s: StaticString) -> amqp_bytes_t {
        bytes(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Queues an ack; it goes out with the next ``flushOutput()``.
    func ack(_ tag: UInt64, multiple: Bool = false) throws {
        try settlements.ack(channel: Self.plainChannel, deliveryTag: tag, multiple: multiple)
    }

    /// Queues a reject; it goes out with the next ``flushOutput()``.
    func reject(_ tag: UInt64, requeue: Bool) throws {
        try settlements.reject(channel: Self.plainChannel, deliveryTag: tag, requeue: requeue)
    }

    /// Writes everything queued in one `send` (more when the socket buffer fills, waiting for
    /// the broker to read). Runs before anything librabbitmq sends itself, so frames never
    /// interleave.
    ///
    /// Acks and rejects go first: a call's ack then reaches the broker before its reply does,
    /// so the caller's next request never finds this consumer still at its prefetch limit
    /// waiting for that ack. Nothing depends on the other order: a handler acks only after
    /// the publishes it awaited were confirmed in an earlier turn, and unconfirmed publishes
    /// (replies) promise nothing about acks.
    func flushOutput() throws {
        if !settlements.isEmpty {
            settlements.append(output)
            output.reset()
            swap(&settlements, &output)
        }
        guard !output.isEmpty else { return }
        let fd = socketDescriptor
        while !output.isEmpty {
            let n = output.bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                output.consume(n)
                continue
            }
            let err = errno
            if n < 0, err == EINTR { continue }
            guard n < 0, err == EAGAIN || err == EWOULDBLOCK else {
                output.reset()
                throw AMQPError.connectionLost("send: \(String(cString: strerror(err)))")
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if poll(&pfd, 1, sendTimeoutMS) == 0 {
                output.reset()
                throw AMQPError.connectionLost("send: the server read nothing for \(sendTimeoutMS / 1000) s")
            }
        }
    }

    /// Reads the next event without blocking; nil when nothing is waiting.
    func nextEvent() throws -> Event? {
        try flushOutput()  // librabbitmq may send a heartbeat while reading
        while true {
            var frame = amqp_frame_t()
            var zero = cirrus_timeval(0, 0)
            let status = amqp_simple_wait_frame_noblock(state, &frame, &zero)
            if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
            try check(status, "read")
            guard frame.frame_type == CIRRUS_FRAME_METHOD else { continue }  // heartbeats
            let id = frame.payload.method.id
            let decoded = frame.payload.method.decoded!
            switch id {
            case CIRRUS_BASIC_DELIVER:
                let d = decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
                let (body, cid) = try readContent(frame.channel)
                return .delivery(Delivery(
                    consumerTag: d.consumer_tag.string, deliveryTag: d.delivery_tag, generation: 0,
                    redelivered: d.redelivered != 0, exchange: d.exchange.string, routingKey: d.routing_key.string,
                    body: body, correlationID: cid))
            case CIRRUS_BASIC_ACK:
                let a = decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                return .confirm(tag: a.delivery_tag, multiple: a.multiple != 0, ack: true)
            case CIRRUS_BASIC_NACK:
                let n = decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
                return .confirm(tag: n.delivery_tag, multiple: n.multiple != 0, ack: false)
            case CIRRUS_BASIC_RETURN:
                let r = decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
                let (body, cid) = try readContent(frame.channel)
                return .returned(ReturnedMessage(
                    replyCode: Int(r.reply_code), replyText: r.reply_text.string, exchange: r.exchange.string,
                    routingKey: r.routing_key.string, body: body, correlationID: cid))
            case CIRRUS_BASIC_CANCEL:
                let c = decoded.assumingMemoryBound(to: amqp_basic_cancel_t.self).pointee
                return .consumerCancelled(c.consumer_tag.string)
            case CIRRUS_CHANNEL_CLOSE:
                let c = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                throw AMQPError.brokerRefused(code: Int(c.reply_code), text: c.reply_text.string)
            case CIRRUS_CONNECTION_CLOSE:
                let c = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                throw AMQPError.connectionLost("server closed the connection: \(c.reply_code) \(c.reply_text.string)")
            case CIRRUS_CONNECTION_BLOCKED:
                let b = decoded.assumingMemoryBound(to: amqp_connection_blocked_t.self).pointee
                return .blocked(b.reason.string)
            case CIRRUS_CONNECTION_UNBLOCKED:
                return .unblocked
            default:
                continue
            }
        }
    }

    /// Frees buffers librabbitmq keeps between frames, once nothing is queued.
    func releaseBuffers() {
        amqp_maybe_release_buffers(state)
    }

    /// Closes the connection politely (bounded by the RPC timeout), then frees it.
    func close() {
        guard !closed else { return }
        try? flushOutput()
        closed = true
        var short = cirrus_timeval(2, 0)
        amqp_set_rpc_timeout(state, &short)
        _ = amqp_channel_close(state, Self.plainChannel, Int32(AMQP_REPLY_SUCCESS))
        _ = amqp_channel_close(state, Self.channel, Int32(AMQP_REPLY_SUCCESS))
        _ = amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        amqp_destroy_connection(state)
    }

    /// Drops the connection without a goodbye (after an error).
    func abort() {
        guard !closed else { return }
        closed = true
        amqp_destroy_connection(state)
    }

    private func readContent(_ channel: amqp_channel_t) throws -> (Data, String?) {
        var message = amqp_message_t()
        let reply = amqp_read_message(state, channel, &message, 0)
        try check(reply, "read message")
        defer { amqp_destroy_message(&message) }
        var cid: String?
        if message.properties._flags & CIRRUS_FLAG_CORRELATION_ID != 0 {
            cid = message.properties.correlation_id.string
        }
        return (message.body.data, cid)
    }

    private func check(_ status: Int32, _ what: String) throws {
        guard status != AMQP_STATUS_OK.rawValue else { return }
        throw AMQPError.connectionLost("\(what): \(String(cString: amqp_error_string2(status)))")
    }

    private func check(_ reply: amqp_rpc_reply_t, _ what: String) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            let text = String(cString: amqp_error_string2(reply.library_error))
            if what == "login" {
                throw AMQPError.connectFailed(broker: broker.description, reason: text)
            }
            throw AMQPError.connectionLost("\(what): \(text)")
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == CIRRUS_CONNECTION_CLOSE, let d = reply.reply.decoded {
                let c = d.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                if what == "login" {
                    throw AMQPError.connectFailed(broker: broker.description, reason: "\(c.reply_code) \(c.reply_text.string)")
                }
                throw AMQPError.brokerRefused(code: Int(c.reply_code), text: "\(what): \(c.reply_text.string)")
            }
            if reply.reply.id == CIRRUS_CHANNEL_CLOSE, let d = reply.reply.decoded {
                let c = d.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                throw AMQPError.brokerRefused(code: Int(c.reply_code), text: "\(what): \(c.reply_text.string)")
            }
            throw AMQPError.brokerRefused(code: 0, text: "\(what): unexpected server method \(reply.reply.id)")
        default:
            throw AMQPError.connectionLost("\(what): no reply")
        }
    }
}
