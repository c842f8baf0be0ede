import Logging

/// Process-wide logging set-up for Cirrus executables.
///
/// Executables call ``bootstrap(configuration:metadataProvider:)`` once, early in `main`.
/// Tests never bootstrap: they use ``InMemoryLogSink/logger(label:format:level:)``.
public enum CirrusLogging {
    /// The level `debug` selects: `.debug` when true, `.info` otherwise.
    public static func level(debug: Bool) -> Logger.Level {
        debug ? .debug : .info
    }

    /// The sink `log_file` selects: that file (appending) or standard error.
    public static func sink(logFile: String?) throws(LogFileError) -> any LogSink {
        guard let logFile else { return FileDescriptorLogSink.standardError }
        return try FileDescriptorLogSink(appendingTo: logFile)
    }

    /// A factory of ``CirrusLogHandler``s sharing one sink, as `LoggingSystem.bootstrap` wants.
    public static func handlerFactory(
        format: LogFormat,
        level: Logger.Level,
        sink: any LogSink,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> @Sendable (String) -> any LogHandler {
        let formatter = LogLineFormatter(format: format)
        return { label in
            CirrusLogHandler(
                label: label, formatter: formatter, sink: sink, logLevel: level, metadataProvider: metadataProvider
            )
        }
    }

    /// Bootstraps the global logging system from `debug`, `log_format` and `log_file`.
    ///
    /// Call at most once per process (swift-log traps on a second bootstrap).
    /// - Throws: ``LogFileError`` if `log_file` cannot be opened; nothing is bootstrapped then.
    public static func bootstrap(
        configuration: CirrusConfiguration,
        metadataProvider: Logger.MetadataProvider? = nil
    ) throws(LogFileError) {
        let sink = try sink(logFile: configuration.default.logFile)
        LoggingSystem.bootstrap(
            handlerFactory(
                format: configuration.default.logFormat,
                level: level(debug: configuration.default.debug),
                sink: sink,
                metadataProvider: metadataProvider
            )
        )
    }
}
