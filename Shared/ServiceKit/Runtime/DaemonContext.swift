import Foundation
import Logging
import Messaging

/// What a Cirrus daemon's service code gets: its name and topic, configuration, logger and
/// the process's one messaging transport.
public struct DaemonContext: Sendable {
    /// `cirrus-scheduler`, `cirrus-compute`, ...
    public let binary: String
    /// The RPC topic it serves (`scheduler`, `compute`, ...).
    public let topic: String
    public let configuration: CirrusConfiguration
    /// For service-specific options (`[scheduler] max_attempts`, ...).
    public let reader: CirrusConfigReader
    public let logger: Logger
    public let transport: MessagingTransport

    public init(
        binary: String, topic: String, configuration: CirrusConfiguration, reader: CirrusConfigReader, logger: Logger,
        transport: MessagingTransport
    ) {
        self.binary = binary
        self.topic = topic
        self.configuration = configuration
        self.reader = reader
        self.logger = logger
        self.transport = transport
    }

    public var host: String { configuration.default.host }
    public var statePath: String { configuration.default.statePath }

    /// `[upgrade_levels] <topic>` as a version cap, if set to a version.
    public func versionCap(for topic: String) -> RPCVersion? {
        configuration.upgradeLevels[topic].flatMap { RPCVersion($0) }
    }
}

/// Builds the messaging transport from `[DEFAULT]` and `[oslo_messaging_rabbit]`.
public enum MessagingSetup {
    public static func transport(
        configuration c: CirrusConfiguration, reader: CirrusConfigReader, binary: String, logger: Logger
    ) throws -> MessagingTransport {
        let url: TransportURL
        do {
            url = try TransportURL(parsing: c.default.transportURL)
        } catch {
            let key = "DEFAULT.transport_url"
            throw ConfigurationError.invalidValue(
                key: key, value: TransportURL.mask(c.default.transportURL), origin: reader.option(key)?.origin,
                expected: "\(error)")
        }
        let rabbit = c.osloMessagingRabbit
        let amqp = AMQPConfiguration(
            transportURL: url, heartbeatSeconds: rabbit.heartbeatTimeoutThreshold,
            retryInterval: Double(rabbit.rabbitRetryInterval), retryMaximum: Double(rabbit.rabbitIntervalMax),
            connectionName: "\(binary):\(getpid()):\(UUID().uuidString.lowercased())")
        return MessagingTransport(
            configuration: MessagingConfiguration(
                amqp: amqp, controlExchange: c.default.controlExchange,
                rpcResponseTimeout: c.default.rpcResponseTimeout.seconds, durableQueues: rabbit.amqpDurableQueues),
            logger: logger)
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
