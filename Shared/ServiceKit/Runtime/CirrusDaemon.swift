import Foundation
import Logging
import Messaging
import Schemas
import ServiceLifecycle

/// A Cirrus daemon: one messaging transport, an RPC server on its topic (and
/// `<topic>.<host>` and fanout), heartbeats to `conductor`, and the service's own
/// long-running work, in one `ServiceGroup` that shuts down cleanly on SIGTERM/SIGINT
/// (heartbeats stop first, then the RPC server drains, then the connection closes).
public struct CirrusDaemon: Sendable {
    public var binary: String
    public var topic: String
    /// The service's RPC endpoints (the manager's versions).
    public var endpoints: @Sendable (DaemonContext) async throws -> [RPCEndpoint]
    /// Periodic tasks and other services run beside the RPC server.
    public var services: @Sendable (DaemonContext) async throws -> [any Service]

    public init(
        binary: String, topic: String,
        endpoints: @escaping @Sendable (DaemonContext) async throws -> [RPCEndpoint] = { _ in [] },
        services: @escaping @Sendable (DaemonContext) async throws -> [any Service] = { _ in [] }
    ) {
        self.binary = binary
        self.topic = topic
        self.endpoints = endpoints
        self.services = services
    }

    /// The whole of an executable's `main`: parses `--config-file` & co., loads the
    /// configuration, bootstraps logging and runs until SIGTERM/SIGINT. A bad configuration
    /// is reported on stderr with exit status 2; a failed run with status 1.
    public func main() async {
        let options = DaemonOptions.parseOrExit()
        let daemon: Daemon
        do {
            daemon = try Daemon.bootstrap(name: binary, options: options)
        } catch {
            FileHandle.standardError.write(Data("\(binary): \(error)\n".utf8))
            exit(2)
        }
        do {
            try await run(daemon)
        } catch {
            FileHandle.standardError.write(Data("\(binary): \(error)\n".utf8))
            exit(1)
        }
    }

    /// Runs until a termination signal; returns after a graceful shutdown.
    public func run(_ daemon: Daemon) async throws {
        let configuration = daemon.configuration
        var log = daemon.logger
        log[metadataKey: "service.host"] = "\(configuration.default.host)"
        let transport = try MessagingSetup.transport(
            configuration: configuration, reader: daemon.config, binary: binary, logger: log)
        let context = DaemonContext(
            binary: binary, topic: topic, configuration: configuration, reader: daemon.config, logger: log,
            transport: transport)
        var options = RPCServer.Options()
        options.prefetch = UInt16(clamping: max(1, configuration.osloMessagingRabbit.rabbitQosPrefetchCount))
        let server = RPCServer(
            transport: transport, topic: topic, host: context.host, endpoints: try await endpoints(context),
            options: options, logger: log)
        let serving = ReadySignal()  // heartbeats start once the RPC server consumes
        let heartbeat = HeartbeatService(
            conductor: ConductorRPCAPI(transport: transport, versionCap: context.versionCap(for: ConductorAPI.topic)),
            binary: binary, host: context.host, topic: topic, interval: configuration.default.reportInterval.seconds,
            logger: log, startAfter: serving)
        let all: [any Service] = [
            TransportService(transport: transport), RPCServerService(server: server, ready: serving), heartbeat,
        ]
            + (try await services(context))
        try await daemon.run(services: all)
    }
}
