import Foundation
import Logging
import ServiceLifecycle

/// A started Cirrus daemon: its configuration, its logger, and a way to run its services.
///
/// A daemon's `main` stays a few lines:
/// ```swift
/// @main struct ComputeMain: AsyncParsableCommand {
///     @OptionGroup var options: DaemonOptions
///     func run() async throws {
///         let daemon = try Daemon.bootstrap(name: "cirrus-compute", options: options)
///         try await daemon.run(services: [ComputeManager(config: daemon.config, logger: daemon.logger)])
///     }
/// }
/// ```
public struct Daemon: Sendable {
    /// The files read when no `--config-file` is given (each only if it exists).
    public static let defaultConfigFiles = ["/etc/cirrus/cirrus.conf"]

    /// The executable's name, e.g. `cirrus-compute`; also the logger label with `-` → `.`.
    public var name: String
    /// All configuration sources, for the service's own sections.
    public var config: CirrusConfigReader
    /// The common options, typed.
    public var configuration: CirrusConfiguration
    /// The daemon's logger (label `cirrus.compute` for `cirrus-compute`).
    public var logger: Logger

    /// Creates a daemon from parts already built (tests build one with an ``InMemoryLogSink`` logger).
    public init(name: String, config: CirrusConfigReader, configuration: CirrusConfiguration, logger: Logger) {
        self.name = name
        self.config = config
        self.configuration = configuration
        self.logger = logger
    }

    /// Loads configuration from `options` (files, then `CIRRUS__` environment, then flags)
    /// without touching global state.
    ///
    /// - Throws: ``ConfigurationError`` for a missing `--config-file`, a bad file or a bad value.
    public static func loadConfiguration(
        options: DaemonOptions,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        defaultConfigFiles: [String] = Daemon.defaultConfigFiles
    ) throws(ConfigurationError) -> (reader: CirrusConfigReader, configuration: CirrusConfiguration) {
        let files = options.configFiles.isEmpty
            ? defaultConfigFiles.filter { FileManager.default.fileExists(atPath: $0) }
            : options.configFiles
        let reader = try CirrusConfigReader.load(
            configFiles: files, environment: environment, commandLine: options.commandLineOverrides
        )
        return (reader, try CirrusConfiguration(reader: reader))
    }

    /// Loads configuration, bootstraps global logging from it and logs what was loaded.
    /// Call once, at the start of `main`.
    ///
    /// - Throws: ``ConfigurationError`` or ``LogFileError``; their descriptions say what to fix.
    public static func bootstrap(
        name: String,
        options: DaemonOptions,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        metadataProvider: Logger.MetadataProvider? = nil
    ) throws -> Daemon {
        let (reader, configuration) = try loadConfiguration(options: options, environment: environment)
        try CirrusLogging.bootstrap(configuration: configuration, metadataProvider: metadataProvider)
        let logger = Logger(label: name.replacingOccurrences(of: "-", with: "."))
        logger.debug(
            "Configuration loaded",
            metadata: [
                "config.files": .array(reader.files.map { .string($0.file.path) }),
                "host": .string(configuration.default.host),
            ]
        )
        return Daemon(name: name, config: reader, configuration: configuration, logger: logger)
    }

    /// How long a graceful stop may take before the services still running are cancelled.
    static let gracefulShutdownLimit = Duration.seconds(20)
    /// How long cancelled services get before the daemon stops waiting for them.
    static let cancellationLimit = Duration.seconds(5)

    /// Runs `services` in a `ServiceGroup` until SIGTERM/SIGINT asks for a graceful shutdown,
    /// logging the start and the stop.
    ///
    /// A service that returns before shutdown was requested is treated as a failure
    /// (swift-service-lifecycle's default): the group is cancelled and the error is thrown.
    /// - Throws: The first error of the group; it is logged before being rethrown.
    public func run(services: [any Service]) async throws {
        try await run(serviceConfigurations: services.map { .init(service: $0) })
    }

    /// The lifecycle logs each service by its description, which for a struct prints every
    /// stored property; a daemon's services hold its configuration (user passwords, broker
    /// URLs), so with `debug = true` those would reach the journal. Services are logged by their
    /// type name instead.
    static func namedByType(_ configuration: ServiceGroupConfiguration.ServiceConfiguration) -> ServiceGroupConfiguration.ServiceConfiguration {
        var named = configuration
        named.serviceName = String(describing: type(of: configuration.service))
        return named
    }

    /// Runs services with explicit termination behaviours (e.g. a one-shot task whose normal
    /// return should gracefully shut the daemon down: `successTerminationBehavior: .gracefullyShutdownGroup`).
    ///
    /// - Throws: The first error of the group; it is logged before being rethrown.
    public func run(serviceConfigurations: [ServiceGroupConfiguration.ServiceConfiguration]) async throws {
        var groupConfiguration = ServiceGroupConfiguration(
            services: serviceConfigurations.map(Self.namedByType),
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // A stop must end even when something waits on a broker that is gone (a call, a
        // confirm): after this long the remaining services are cancelled, and the daemon
        // exits this much later whatever they do (well within systemd's 90 s stop timeout).
        groupConfiguration.maximumGracefulShutdownDuration = Self.gracefulShutdownLimit
        groupConfiguration.maximumCancellationDuration = Self.cancellationLimit
        let group = ServiceGroup(configuration: groupConfiguration)
        logger.info(
            "Starting \(name)",
            metadata: ["host": .string(configuration.default.host), "pid": .stringConvertible(getpid())]
        )
        do {
            try await group.run()
        } catch {
            logger.error("\(name) stopped with an error", metadata: ["error": .string("\(error)")])
            throw error
        }
        logger.info("Stopped \(name)")
    }
}
