/// How an ``AMQPConnection`` reaches and keeps its broker.
public struct AMQPConfiguration: Sendable {
    public var transportURL: TransportURL
    /// AMQP heartbeat (oslo's `heartbeat_timeout_threshold`), seconds; 0 disables.
    public var heartbeatSeconds: Int
    /// First reconnect delay (`rabbit_retry_interval`), seconds.
    public var retryInterval: Double
    /// Reconnect delay cap (`rabbit_interval_max`), seconds.
    public var retryMaximum: Double
    /// Shown in the broker's management UI: `<binary>:<pid>:<uuid>` as oslo does.
    public var connectionName: String

    public init(
        transportURL: TransportURL, heartbeatSeconds: Int = 60, retryInterval: Double = 1,
        retryMaximum: Double = 30, connectionName: String
    ) {
        self.transportURL = transportURL
        self.heartbeatSeconds = heartbeatSeconds
        self.retryInterval = retryInterval
        self.retryMaximum = retryMaximum
        self.connectionName = connectionName
    }
}
