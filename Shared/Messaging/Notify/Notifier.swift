import Foundation
import Logging

/// Sends oslo `messagingv2` notifications: routing key `<topic>.<priority>` on the control
/// exchange, body `{message_id, publisher_id, event_type, priority, payload, timestamp}`
/// plus the request context, in the 2.0 envelope, confirmed by the broker.
public struct Notifier: Sendable {
    public let transport: MessagingTransport
    /// `<service>.<host>`, e.g. `compute.host1`.
    public var publisherID: String
    /// `[oslo_messaging_notifications] topics`.
    public var topics: [String]

    public init(transport: MessagingTransport, publisherID: String, topics: [String] = ["notifications"]) {
        self.transport = transport
        self.publisherID = publisherID
        self.topics = topics
    }

    /// Sends `eventType` with `payload` at `priority` to every topic.
    public func notify<P: Encodable>(
        _ eventType: String, payload: P, context: RequestContext, priority: NotificationPriority = .info
    ) async throws {
        let payloadJSON = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        try await notifyJSON(eventType, payloadJSON: payloadJSON, context: context, priority: priority)
    }

    func notifyJSON(_ eventType: String, payloadJSON: String, context: RequestContext, priority: NotificationPriority) async throws {
        try await transport.ensureControlExchange()
        var w = MessageWriter(enveloped: true, capacity: payloadJSON.utf8.count * 2 + 768)
        w.json("{\"message_id\": ")
        w.string(FastID.uuidString())
        w.json(", \"publisher_id\": ")
        w.string(publisherID)
        w.json(", \"event_type\": ")
        w.string(eventType)
        w.json(", \"priority\": ")
        w.string(priority.rawValue.uppercased())
        w.json(", \"payload\": ")
        w.json(payloadJSON)
        w.json(", \"timestamp\": ")
        w.string(Self.timestamp())
        context.writeWireEntries(to: &w)
        w.json(", \"_unique_id\": ")
        w.string(OutgoingRequest.newID())
        w.json("}")
        let body = w.body()
        for topic in topics {
            let key = "\(topic).\(priority.rawValue)"
            try await declareQueue(key)
            try await transport.connection.publishConfirmed(OutgoingMessage(
                exchange: transport.controlExchange, routingKey: key, body: body, persistent: true))
        }
    }

    /// As oslo, declares the `<topic>.<priority>` queue so notifications are kept before any
    /// listener exists (durable per `amqp_durable_queues`, as oslo declares it).
    private func declareQueue(_ name: String) async throws {
        let (conn, exchange) = (transport.connection, transport.controlExchange)
        let durable = transport.configuration.durableQueues
        try await transport.once("notify:" + name) {
            try await conn.declare(QueueSpec(name: name, durable: durable))
            try await conn.bind(BindingSpec(queue: name, exchange: exchange, routingKey: name))
        }
    }

    /// oslo's `str(utcnow())`: `2026-11-28 10:19:38.123456`.
    static func timestamp(_ date: Date = Date()) -> String {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var secondsPart = totalMicros / 1_000_000
        var microsPart = totalMicros % 1_000_000
        if microsPart < 0 {  // before the epoch: floor, like Python's datetime
            secondsPart -= 1
            microsPart += 1_000_000
        }
        let secs = time_t(secondsPart)
        let micro = Int(microsPart)
        var tmv = tm()
        var s = secs
        gmtime_r(&s, &tmv)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%06d", Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1, Int(tmv.tm_mday),
            Int(tmv.tm_hour), Int(tmv.tm_min), Int(tmv.tm_sec), micro)
    }
}
