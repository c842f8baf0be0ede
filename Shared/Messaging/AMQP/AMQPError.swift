/// Errors of the AMQP connection layer.
public enum AMQPError: Error, CustomStringConvertible, Equatable {
    /// Connecting or logging in to a broker failed.
    case connectFailed(broker: String, reason: String)
    /// The connection broke; operations in flight may or may not have reached the broker.
    case connectionLost(String)
    /// The broker refused an operation (channel or connection closed with a code).
    case brokerRefused(code: Int, text: String)
    /// The broker nacked a confirmed publish.
    case publishNacked
    /// The connection was closed by us.
    case closed

    public var description: String {
        switch self {
        case .connectFailed(let b, let r): return "cannot connect to AMQP server \(b): \(r)"
        case .connectionLost(let r): return "AMQP connection lost: \(r)"
        case .brokerRefused(let c, let t): return "AMQP server refused the operation: \(c) \(t)"
        case .publishNacked: return "AMQP server did not accept the message (basic.nack)"
        case .closed: return "AMQP connection is closed"
        }
    }
}
