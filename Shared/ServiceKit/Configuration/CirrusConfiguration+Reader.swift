extension CirrusConfiguration {
    /// Reads and validates every option from `reader`, using defaults for unset ones.
    ///
    /// - Throws: ``ConfigurationError`` (`invalidValue`) naming the option and where the bad
    ///   value was set, e.g. `/etc/cirrus/cirrus.conf:7: invalid value 'abc' for option
    ///   DEFAULT.report_interval: expected a non-negative number of seconds`.
    public init(reader: CirrusConfigReader) throws(ConfigurationError) {
        var d = Default()
        d.transportURL = try reader.value("DEFAULT.transport_url", default: d.transportURL)
        guard d.transportURL.hasPrefix("rabbit://") else {
            throw reader.invalidValue(
                "DEFAULT.transport_url", expected: "a URL like rabbit://user:password@host:5672/vhost"
            )
        }
        d.host = try reader.value("DEFAULT.host", default: d.host)
        guard !d.host.isEmpty else { throw reader.invalidValue("DEFAULT.host", expected: "a non-empty host name") }
        d.statePath = try reader.value("DEFAULT.state_path", default: d.statePath)
        d.debug = try reader.value("DEFAULT.debug", default: d.debug)
        d.controlExchange = try reader.value("DEFAULT.control_exchange", default: d.controlExchange)
        d.rpcResponseTimeout = try Self.positive("DEFAULT.rpc_response_timeout", d.rpcResponseTimeout, reader)
        d.reportInterval = try Self.positive("DEFAULT.report_interval", d.reportInterval, reader)
        d.serviceDownTime = try Self.positive("DEFAULT.service_down_time", d.serviceDownTime, reader)
        d.logFormat = try reader.value("DEFAULT.log_format", default: d.logFormat)
        d.logFile = try reader.value("DEFAULT.log_file", as: String.self).flatMap { $0.isEmpty ? nil : $0 }

        var rabbit = OsloMessagingRabbit()
        rabbit.heartbeatTimeoutThreshold = try Self.nonNegative(
            "oslo_messaging_rabbit.heartbeat_timeout_threshold", rabbit.heartbeatTimeoutThreshold, reader
        )
        rabbit.rabbitRetryInterval = try Self.nonNegative(
            "oslo_messaging_rabbit.rabbit_retry_interval", rabbit.rabbitRetryInterval, reader
        )
        rabbit.rabbitIntervalMax = try Self.nonNegative(
            "oslo_messaging_rabbit.rabbit_interval_max", rabbit.rabbitIntervalMax, reader
        )
        rabbit.rabbitQosPrefetchCount = try Self.nonNegative(
            "oslo_messaging_rabbit.rabbit_qos_prefetch_count", rabbit.rabbitQosPrefetchCount, reader
        )
        rabbit.amqpDurableQueues = try reader.value(
            "oslo_messaging_rabbit.amqp_durable_queues", default: rabbit.amqpDurableQueues)

        let upgradeLevels = reader.options(inSection: "upgrade_levels").mapValues(\.value)
        self.init(default: d, osloMessagingRabbit: rabbit, upgradeLevels: upgradeLevels)
    }

    private static func positive(
        _ key: String, _ defaultValue: Duration, _ reader: CirrusConfigReader
    ) throws(ConfigurationError) -> Duration {
        let value = try reader.value(key, default: defaultValue)
        guard value > .zero else { throw reader.invalidValue(key, expected: "a positive number of seconds") }
        return value
    }

    private static func nonNegative(
        _ key: String, _ defaultValue: Int, _ reader: CirrusConfigReader
    ) throws(ConfigurationError) -> Int {
        let value = try reader.value(key, default: defaultValue)
        guard value >= 0 else { throw reader.invalidValue(key, expected: "a non-negative integer") }
        return value
    }
}
