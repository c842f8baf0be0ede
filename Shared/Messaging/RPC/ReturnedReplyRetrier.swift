import Foundation
import Logging
import Synchronization

/// Re-publishes replies the broker returned as unroutable (the caller's reply queue is
/// missing, e.g. while it reconnects) every 0.25 s until `timeout`, then drops them with a
/// warning, as oslo's `kombu_missing_consumer_retry_timeout` does.
final class ReturnedReplyRetrier: Sendable {
    private let timeout: Double
    private let logger: Logger
    private let firstReturn = Mutex<[String: ContinuousClock.Instant]>([:])

    init(timeout: Double, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    /// Called on the connection thread for every returned message.
    func returned(_ message: ReturnedMessage, connection: AMQPConnection) {
        guard message.exchange.isEmpty, message.routingKey.hasPrefix("reply_") else {
            logger.warning("Message returned unroutable", metadata: [
                "exchange": "\(message.exchange)", "routing_key": "\(message.routingKey)",
                "reply": "\(message.replyCode) \(message.replyText)",
            ])
            return
        }
        let key = message.correlationID ?? message.routingKey
        let now = ContinuousClock.now
        let giveUp = firstReturn.withLock { m -> Bool in
            let first = m[key] ?? now
            if first + .milliseconds(Int(timeout * 1000)) < now {
                m[key] = nil
                return true
            }
            m[key] = first
            if m.count > 10_000 { m = m.filter { now - $0.value < .seconds(600) } }
            return false
        }
        if giveUp {
            logger.warning("Dropping reply, reply queue missing", metadata: [
                "reply_queue": "\(message.routingKey)", "msg_id": "\(key)", "timeout_s": "\(timeout)",
            ])
            return
        }
        let retry = OutgoingMessage(
            exchange: "", routingKey: message.routingKey, body: message.body, mandatory: true,
            correlationID: message.correlationID)
        Task {
            try? await Task.sleep(for: .milliseconds(250))
            connection.publish(retry)
        }
    }
}
