import ArgumentParser
import Foundation
import Logging
import Messaging
import ServiceKit

/// How the CLI reaches the message bus: `--transport-url`, else `CIRRUS_TRANSPORT_URL`,
/// else `[DEFAULT] transport_url` of the `--config-file`s (default /etc/cirrus/cirrus.conf).
struct BusOptions: ParsableArguments {
    @Option(name: .customLong("transport-url"), help: "rabbit://user:pass@host:port/vhost")
    var transportURL: String?

    @Option(name: .customLong("config-file"), help: "Configuration file(s); later files win.")
    var configFiles: [String] = []

    @Option(help: "Exchange the services use ([DEFAULT] control_exchange).")
    var exchange: String?

    func resolvedURL() throws -> TransportURL {
        if let u = transportURL ?? ProcessInfo.processInfo.environment["CIRRUS_TRANSPORT_URL"] {
            return try TransportURL(parsing: u)
        }
        let files = configFiles.isEmpty && FileManager.default.fileExists(atPath: Daemon.defaultConfigFiles[0])
            ? Daemon.defaultConfigFiles : configFiles
        guard !files.isEmpty else {
            throw ValidationError("no transport URL: pass --transport-url, set CIRRUS_TRANSPORT_URL, or --config-file with [DEFAULT] transport_url")
        }
        let reader = try CirrusConfigReader.load(configFiles: files, environment: ProcessInfo.processInfo.environment, commandLine: [:])
        return try TransportURL(parsing: try CirrusConfiguration(reader: reader).default.transportURL)
    }

    func transport(timeout: Double) throws -> MessagingTransport {
        var log = Logger(label: "cirrus.cli")
        log.logLevel = .critical
        let amqp = AMQPConfiguration(
            transportURL: try resolvedURL(), heartbeatSeconds: 0, retryInterval: 0.5, retryMaximum: 2,
            connectionName: "cirrus:\(getpid()):\(UUID().uuidString.lowercased())")
        return MessagingTransport(
            configuration: MessagingConfiguration(amqp: amqp, controlExchange: exchange ?? "cirrus", rpcResponseTimeout: timeout),
            logger: log)
    }

    /// `compute.host1` → (`compute`, `host1`).
    static func splitTarget(_ target: String) -> (topic: String, server: String?) {
        guard let dot = target.firstIndex(of: ".") else { return (target, nil) }
        return (String(target[..<dot]), String(target[target.index(after: dot)...]))
    }
}
