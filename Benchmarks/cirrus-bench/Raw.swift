import CRabbitMQ
import Foundation
import Messaging

#if canImport(Glibc)
import Glibc
#endif

/// The floor: request/reply written straight against librabbitmq, two connections, no Cirrus
/// code. A responder thread consumes a request queue (manual ack, prefetch 64, like a Cirrus
/// server) and publishes each reply to the message's `reply_to` with its correlation id; the
/// client sends one request, waits for the matching reply on its own queue (no-ack, like the
/// Cirrus reply queue), and repeats.
///
/// With `osloTopology` the same exchange, queue and message shape oslo.messaging's rabbit
/// driver needs (and Cirrus uses) is kept, still with no Cirrus code: requests go through a
/// durable topic exchange to a durable queue bound by routing key and carry a per-message
/// expiration (the call timeout), replies are published mandatory. That is the floor for any
/// oslo-compatible client; the default (default exchange, transient queue, no TTL) is the
/// cheapest round trip the broker can do.
enum RawFloor {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A librabbitmq connection with channel 1 open; used by one thread only.
    final class Conn: @unchecked Sendable {  // handed to one thread, used only there
        let state: amqp_connection_state_t

        init(_ broker: TransportURL.Broker, vhost: String) throws {
            guard let s = amqp_new_connection() else { throw Failure(description: "amqp_new_connection") }
            state = s
            guard let socket = amqp_tcp_socket_new(s) else { throw Failure(description: "amqp_tcp_socket_new") }
            let rc = amqp_socket_open(socket, broker.host, Int32(broker.port))
            guard rc == AMQP_STATUS_OK.rawValue else {
                throw Failure(description: "connect \(broker): \(String(cString: amqp_error_string2(rc)))")
            }
            var props = amqp_empty_table
            try Self.check(cirrus_login(s, vhost, 0, 131_072, 0, &props, broker.user, broker.password), "login")
            amqp_channel_open(s, 1)
            try Self.check(amqp_get_rpc_reply(s), "channel.open")
        }

        deinit {
            amqp_destroy_connection(state)
        }

        static func check(_ r: amqp_rpc_reply_t, _ what: String) throws {
            guard r.reply_type == AMQP_RESPONSE_NORMAL else {
                throw Failure(description: "\(what) failed (reply type \(r.reply_type.rawValue), library error \(r.library_error))")
            }
        }

        func declareQueue(_ name: String, exclusive: Bool, durable: Bool = false) throws -> String {
            let declared = name.withCString { p -> String? in
                guard let ok = amqp_queue_declare(state, 1, amqp_cstring_bytes(p), 0, durable ? 1 : 0, exclusive ? 1 : 0, 1, amqp_empty_table)
                else { return nil }
                return String(decoding: UnsafeRawBufferPointer(start: ok.pointee.queue.bytes, count: ok.pointee.queue.len), as: UTF8.self)
            }
            try Self.check(amqp_get_rpc_reply(state), "queue.declare")
            return declared ?? name
        }

        /// A durable topic exchange and the queue bound to it by its own name (oslo's layout).
        func bindTopic(exchange: String, queue: String) throws {
            exchange.withCString { e in
                _ = amqp_exchange_declare(state, 1, amqp_cstring_bytes(e), amqp_cstring_bytes("topic"), 0, 1, 1, 0, amqp_empty_table)
            }
            try Self.check(amqp_get_rpc_reply(state), "exchange.declare")
            exchange.withCString { e in
                queue.withCString { q in
                    _ = amqp_queue_bind(state, 1, amqp_cstring_bytes(q), amqp_cstring_bytes(e), amqp_cstring_bytes(q), amqp_empty_table)
                }
            }
            try Self.check(amqp_get_rpc_reply(state), "queue.bind")
        }

        func consume(_ queue: String, noAck: Bool, prefetch: UInt16?) throws {
            if let prefetch {
                amqp_basic_qos(state, 1, 0, prefetch, 0)
                try Self.check(amqp_get_rpc_reply(state), "basic.qos")
            }
            queue.withCString { p in
                _ = amqp_basic_consume(state, 1, amqp_cstring_bytes(p), amqp_empty_bytes, 0, noAck ? 1 : 0, 0, amqp_empty_table)
            }
            try Self.check(amqp_get_rpc_reply(state), "basic.consume")
        }
    }

    static func bytesString(_ b: amqp_bytes_t) -> String {
        String(decoding: UnsafeRawBufferPointer(start: b.bytes, count: b.len), as: UTF8.self)
    }

    /// Responder loop (own thread, own connection): echo each request's body to its reply_to.
    static func respond(_ conn: Conn, mandatory: Bool) {
        let state = conn.state
        var handled = 0
        while true {
            var envelope = amqp_envelope_t()
            amqp_maybe_release_buffers(state)
            let r = amqp_consume_message(state, &envelope, nil, 0)
            guard r.reply_type == AMQP_RESPONSE_NORMAL else {
                FileHandle.standardError.write(Data("raw responder: consume failed (\(r.reply_type.rawValue), \(r.library_error))\n".utf8))
                return
            }
            var props = amqp_basic_properties_t()
            props._flags = CIRRUS_FLAG_CORRELATION_ID | CIRRUS_FLAG_CONTENT_TYPE | CIRRUS_FLAG_DELIVERY_MODE
            props.correlation_id = envelope.message.properties.correlation_id
            props.content_type = envelope.message.properties.content_type
            props.delivery_mode = 1
            let rc = amqp_basic_publish(
                state, 1, amqp_empty_bytes, envelope.message.properties.reply_to, mandatory ? 1 : 0, 0, &props,
                envelope.message.body)
            let ackRC = amqp_basic_ack(state, 1, envelope.delivery_tag, 0)
            amqp_destroy_envelope(&envelope)
            guard rc == AMQP_STATUS_OK.rawValue, ackRC == AMQP_STATUS_OK.rawValue else {
                FileHandle.standardError.write(Data("raw responder: publish/ack failed\n".utf8))
                return
            }
            handled += 1
        }
    }

    /// The responder's connection, consuming its request queue (declared, and bound for the
    /// oslo topology).
    static func openResponder(_ broker: TransportURL.Broker, vhost: String, queue: String, osloTopology: Bool) throws -> Conn {
        let responder = try Conn(broker, vhost: vhost)
        _ = try responder.declareQueue(queue, exclusive: false, durable: osloTopology)
        if osloTopology { try responder.bindTopic(exchange: "raw_bench_topic", queue: queue) }
        try responder.consume(queue, noAck: false, prefetch: 64)
        return responder
    }

    /// Runs the responder as its own process (`cirrus-bench raw-responder`), as a Cirrus
    /// server is; returns once it consumes.
    static func spawnResponder(url: String, queue: String, osloTopology: Bool) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = ["raw-responder", "--transport-url", url, "--queue", queue] + (osloTopology ? ["--oslo-topology"] : [])
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        var line = Data()
        while let b = try out.fileHandleForReading.read(upToCount: 1), !b.isEmpty, b != Data("\n".utf8) { line += b }
        guard String(decoding: line, as: UTF8.self).hasPrefix("READY") else {
            p.terminate()
            throw Failure(description: "raw responder process did not start")
        }
        return p
    }

    /// `cirrus-bench raw-responder`: the responder alone, until killed.
    static func serveResponder(url: String, queue: String, osloTopology: Bool) throws {
        let parsed = try TransportURL(parsing: url)
        let responder = try openResponder(parsed.brokers[0], vhost: parsed.virtualHost, queue: queue, osloTopology: osloTopology)
        print("READY pid=\(getpid())")
        fflush(nil)
        respond(responder, mandatory: osloTopology)
    }

    static func run(
        url: String, count: Int, warmup: Int, payloadBytes: Int, osloTopology: Bool, responderProcess: Bool = false
    ) throws -> Summary {
        let parsed = try TransportURL(parsing: url)
        let broker = parsed.brokers[0]
        let requestQueue = "raw_bench_req_\(getpid())"
        let exchange = osloTopology ? "raw_bench_topic" : ""

        var child: Process?
        if responderProcess {
            child = try spawnResponder(url: url, queue: requestQueue, osloTopology: osloTopology)
        } else {
            let responder = try openResponder(broker, vhost: parsed.virtualHost, queue: requestQueue, osloTopology: osloTopology)
            let thread = Thread { respond(responder, mandatory: osloTopology) }
            thread.name = "raw-responder"
            thread.start()
        }
        defer {
            child?.terminate()
            child?.waitUntilExit()
        }

        let client = try Conn(broker, vhost: parsed.virtualHost)
        let replyQueue = try client.declareQueue("", exclusive: true)
        try client.consume(replyQueue, noAck: true, prefetch: nil)
        let state = client.state

        let body = [UInt8](repeating: UInt8(ascii: "x"), count: payloadBytes)
        var latencies: [UInt64] = []
        latencies.reserveCapacity(count)
        var start: UInt64 = 0
        var cpu0 = 0.0
        let ttl: StaticString = "60000"  // oslo's default call timeout, as Cirrus sets it
        let ttlBytes = amqp_bytes_t(len: ttl.utf8CodeUnitCount, bytes: UnsafeMutableRawPointer(mutating: ttl.utf8Start))
        try requestQueue.withCString { rq in
          try exchange.withCString { ex in
            try replyQueue.withCString { reply in
                try "application/json".withCString { ct in
                    try body.withUnsafeBytes { raw in
                        let bodyBytes = amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress))
                        for i in 0..<(warmup + count) {
                            if i == warmup { start = nowNanos(); cpu0 = processCPUSeconds() }
                            let cid = String(i)
                            let t0 = nowNanos()
                            try cid.withCString { cidp in
                                var props = amqp_basic_properties_t()
                                props._flags = CIRRUS_FLAG_CONTENT_TYPE | CIRRUS_FLAG_DELIVERY_MODE | CIRRUS_FLAG_REPLY_TO | CIRRUS_FLAG_CORRELATION_ID
                                props.content_type = amqp_cstring_bytes(ct)
                                props.delivery_mode = 1
                                props.reply_to = amqp_cstring_bytes(reply)
                                props.correlation_id = amqp_cstring_bytes(cidp)
                                if osloTopology {
                                    props._flags |= CIRRUS_FLAG_EXPIRATION
                                    props.expiration = ttlBytes
                                }
                                let rc = amqp_basic_publish(state, 1, amqp_cstring_bytes(ex), amqp_cstring_bytes(rq), 0, 0, &props, bodyBytes)
                                guard rc == AMQP_STATUS_OK.rawValue else { throw Failure(description: "publish failed") }
                            }
                            while true {
                                var envelope = amqp_envelope_t()
                                amqp_maybe_release_buffers(state)
                                let r = amqp_consume_message(state, &envelope, nil, 0)
                                guard r.reply_type == AMQP_RESPONSE_NORMAL else { throw Failure(description: "consume failed") }
                                let got = bytesString(envelope.message.properties.correlation_id)
                                amqp_destroy_envelope(&envelope)
                                if got == cid { break }
                            }
                            if i >= warmup { latencies.append(nowNanos() - t0) }
                        }
                    }
                }
            }
          }
        }
        let elapsed = nowNanos() - start
        let cpu = processCPUSeconds() - cpu0
        let kind = (osloTopology ? "raw-oslo" : "raw") + (responderProcess ? "-2proc" : "")
        var s = Summary(kind: kind, latenciesNanos: latencies, concurrency: 1, elapsedNanos: elapsed)
        s.extra["payload_bytes"] = Double(payloadBytes)
        // Client and responder together, or the client alone when the responder is a process.
        s.extra["process_cpu_us_per_call"] = cpu / Double(count) * 1e6
        return s
    }
}
