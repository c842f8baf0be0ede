/// The options every Cirrus daemon reads, typed, with oslo-style defaults.
///
/// Build it from a ``CirrusConfigReader`` with ``init(reader:)``; services read their own
/// sections from the same reader. Sections:
/// - `[DEFAULT]`: ``Default``
/// - `[oslo_messaging_rabbit]`: ``OsloMessagingRabbit``
/// - `[upgrade_levels]`: ``upgradeLevels``, topic → RPC version cap (any keys allowed)
public struct CirrusConfiguration: Sendable, Hashable {
    /// Options of the `[DEFAULT]` section.
    public struct Default: Sendable, Hashable {
        /// `transport_url`: the RabbitMQ URL, `rabbit://user:pass@host:port/vhost`.
        public var transportURL: String = "rabbit://guest:guest@127.0.0.1:5672/"
        /// `host`: this node's name, used in per-host topics (`compute.<host>`). Defaults to the hostname.
        public var host: String = HostName.current
        /// `state_path`: where services keep their SQLite databases and files.
        public var statePath: String = "/var/lib/cirrus"
        /// `debug`: log at debug level instead of info.
        public var debug: Bool = false
        /// `control_exchange`: the AMQP exchange for RPC and notifications.
        public var controlExchange: String = "cirrus"
        /// `rpc_response_timeout`: how long an RPC call waits for its reply (seconds).
        public var rpcResponseTimeout: Duration = .seconds(60)
        /// `report_interval`: how often a service reports its state to the conductor (seconds).
        public var reportInterval: Duration = .seconds(10)
        /// `service_down_time`: after how long without a report a service is considered down (seconds).
        public var serviceDownTime: Duration = .seconds(60)
        /// `log_format`: `oslo` or `json`.
        public var logFormat: LogFormat = .oslo
        /// `log_file`: a file to append logs to; nil logs to standard error (the systemd journal).
        public var logFile: String? = nil

        /// Creates the section with its defaults.
        public init() {}
    }

    /// Options of the `[oslo_messaging_rabbit]` section.
    public struct OsloMessagingRabbit: Sendable, Hashable {
        /// `heartbeat_timeout_threshold`: seconds without a heartbeat before the connection is
        /// considered dead; 0 disables heartbeats.
        public var heartbeatTimeoutThreshold: Int = 60
        /// `rabbit_retry_interval`: seconds before the first reconnection attempt.
        public var rabbitRetryInterval: Int = 1
        /// `rabbit_interval_max`: the longest backoff between reconnection attempts (seconds).
        public var rabbitIntervalMax: Int = 30
        /// `rabbit_qos_prefetch_count`: unacknowledged messages a consumer may hold; 0 is unlimited.
        public var rabbitQosPrefetchCount: Int = 64
        /// oslo's `amqp_durable_queues`; Cirrus defaults to true (see MessagingConfiguration).
        public var amqpDurableQueues: Bool = true

        /// Creates the section with its defaults.
        public init() {}
    }

    /// `[DEFAULT]`.
    public var `default`: Default
    /// `[oslo_messaging_rabbit]`.
    public var osloMessagingRabbit: OsloMessagingRabbit
    /// `[upgrade_levels]`: RPC topic (`compute`, `scheduler`, ...) → version cap (`5.0`) or release alias.
    public var upgradeLevels: [String: String]

    /// Creates a configuration; every argument defaults to the built-in defaults.
    public init(
        default: Default = .init(),
        osloMessagingRabbit: OsloMessagingRabbit = .init(),
        upgradeLevels: [String: String] = [:]
    ) {
        self.default = `default`
        self.osloMessagingRabbit = osloMessagingRabbit
        self.upgradeLevels = upgradeLevels
    }
}
