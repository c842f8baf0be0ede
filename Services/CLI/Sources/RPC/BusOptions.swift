import ArgumentParser
import Foundation
import Logging
import Messaging
import ServiceKit

/// How the CLI reaches the message bus: `--transport-url`, else `CIRRUS_TRANSPORT_URL`,
/// else `[DEFAULT] transport_url` of the `--config-file`s (default /etc/cirrus/cirrus.conf);
/// the exchange from `--exchange`, else `[DEFAULT] control_exchange` of those files, else
/// `cirrus`.
struct BusOptions: ParsableArguments {
    @Option(name: .customLong("transport-url"), help: "rabbit://user:pass@host:port/vhost")
    var transportURL: String?

    @Option(name: .customLong("config-file"), help: "Configuration file(s); later files win.")
    var configFiles: [String] = []

    @Option(help: "Exchange the services use (default: [DEFAULT] control_exchange of the config files, else cirrus).")
    var exchange: String?

    /// The configuration files to read: those given, else the default one when it exists.
    private var files: [String] {
        configFiles.isEmpty && FileManager.default.fileExists(atPath: Daemon.defaultConfigFiles[0])
            ? Daemon.defaultConfigFiles : configFiles
    }

    private func fileConfiguration() throws -> CirrusConfiguration? {
        guard !files.isEmpty else { return nil }
        let reader = try CirrusConfigReader.load(configFiles: files, environment: ProcessInfo.processInfo.environment, commandLine: [:])
        return try CirrusConfiguration(reader: reader)
    }

    /// The broker URL and the exchange. The configuration files are read once, and only when
    /// the options and `CIRRUS_TRANSPORT_URL` leave one of the two open.
    func resolved() throws -> (url: TransportURL, exchange: String) {
        let url = transportURL ?? ProcessInfo.processInfo.environment["CIRRUS_TRANSPORT_URL"]
        let file = url == nil || exchange == nil ? try fileConfiguration() : nil
        guard let urlText = url ?? file?.default.transportURL else {
            throw ValidationError("no transport URL: pass --transport-url, set CIRRUS_TRANSPORT_URL, or --config-file with [DEFAULT] transport_url")
        }
        let exchange = exchange ?? file?.default.controlExchange ?? CirrusConfiguration.Default().controlExchange
        return (try TransportURL(parsing: urlText), exchange)
    }

    func transport(timeout: Double) throws -> MessagingTransport {
        var log = Logger(label: "cirrus.cli")
        log.logLevel = .critical
        let (url, exchange) = try resolved()
        let amqp = AMQPConfiguration(
            transportURL: url, heartbeatSeconds: 0, retryInterval: 0.5, retryMaximum: 2,
            connectionName: "cirrus:\(getpid()):\(UUID().uuidString.lowercased())")
        return MessagingTransport(
            configuration: MessagingConfiguration(amqp: amqp, controlExchange: exchange, rpcResponseTimeout: timeout),
            logger: log)
    }

    /// Waits until `transport` reaches its broker: at most `seconds`, and no longer than one
    /// failed attempt on each broker of the URL. When it cannot, says why on stderr (naming
    /// the broker: refused, unknown host, bad credentials, ...) and exits with status 2,
    /// instead of letting every call time out.
    func requireBroker(_ transport: MessagingTransport, within seconds: Double) async throws {
        let brokers = UInt64(transport.configuration.amqp.transportURL.brokers.count)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while !transport.connection.isConnected {
            let failures = transport.connection.connectFailures
            if failures.count >= brokers || ContinuousClock.now >= deadline {
                await transport.shutdown()
                let why = failures.lastError ?? "no answer within \(String(format: "%g", seconds)) s"
                FileHandle.standardError.write(Data("Error: \(why)\n".utf8))
                throw ExitCode(2)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `compute.host1` → (`compute`, `host1`).
    static func splitTarget(_ target: String) -> (topic: String, server: String?) {
        guard let dot = target.firstIndex(of: ".") else { return (target, nil) }
        return (String(target[..<dot]), String(target[target.index(after: dot)...]))
    }
}
