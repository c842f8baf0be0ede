import Foundation
import Logging

/// Where messages go that can never be handled: a durable exchange `<control_exchange>_dlx`
/// and queue `<control_exchange>.dead_letters` that keep them, with the reason in the
/// `x-cirrus-reason` header, for an operator to inspect (`rabbitmqadmin get`).
struct DeadLetterQueue: Sendable {
    let transport: MessagingTransport
    let service: String
    let logger: Logger

    var exchange: String { transport.controlExchange + "_dlx" }
    var queue: String { transport.controlExchange + ".dead_letters" }

    func declare() async throws {
        let (exchange, queue, conn) = (exchange, queue, transport.connection)
        try await transport.once("dlx") {
            try await conn.declare(ExchangeSpec(name: exchange, kind: .topic, durable: true))
            try await conn.declare(QueueSpec(name: queue, durable: true))
            try await conn.bind(BindingSpec(queue: queue, exchange: exchange, routingKey: "#"))
        }
    }

    /// Moves a delivery to the dead-letter queue and acknowledges it; logs why.
    func send(_ delivery: Delivery, reason: String, logger: Logger? = nil) async {
        (logger ?? self.logger).error("Dead-lettering message", metadata: [
            "reason": "\(reason)", "routing_key": "\(delivery.routingKey)", "bytes": "\(delivery.body.count)",
        ])
        let message = OutgoingMessage(
            exchange: exchange, routingKey: delivery.routingKey.isEmpty ? "fanout" : delivery.routingKey,
            body: delivery.body, persistent: true,
            headers: [
                "x-cirrus-reason": .string(String(reason.prefix(1000))), "x-cirrus-service": .string(service),
                "x-cirrus-original-exchange": .string(delivery.exchange),
            ])
        do {
            try await transport.connection.publishConfirmed(message)
            transport.connection.ack(delivery)
        } catch {
            (logger ?? self.logger).error("Dead-letter publish failed, dropping message", metadata: ["error": "\(error)"])
            transport.connection.reject(delivery, requeue: false)
        }
    }
}
