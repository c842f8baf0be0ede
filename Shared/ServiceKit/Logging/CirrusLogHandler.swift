import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler writing oslo.log-style lines (or JSON lines) to a ``LogSink``.
///
/// Cheap on the hot path: level filtering is done by `Logger` before calling the handler; the
/// handler merges metadata, formats one string without Foundation and makes one locked write.
public struct CirrusLogHandler: LogHandler {
    /// The logger label, e.g. `cirrus.compute`.
    public let label: String
    /// The line format.
    public var formatter: LogLineFormatter
    /// Where lines go.
    public let sink: any LogSink
    /// The minimum level logged.
    public var logLevel: Logger.Level
    /// Metadata attached to every line of this handler.
    public var metadata: Logger.Metadata = [:]
    /// Contributes task-local metadata (e.g. the request context) to every line.
    public var metadataProvider: Logger.MetadataProvider?
    private let now: @Sendable () -> LogTimestamp

    private static let pid = getpid()

    /// Creates a handler; `now` is injectable for deterministic tests.
    public init(
        label: String,
        formatter: LogLineFormatter,
        sink: any LogSink,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        now: @escaping @Sendable () -> LogTimestamp = LogTimestamp.now
    ) {
        self.label = label
        self.formatter = formatter
        self.sink = sink
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.now = now
    }

    /// Reads or writes one metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats and writes the event; an attached error is shown as the `error` metadata key.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let extra = event.metadata, !extra.isEmpty {
            merged.merge(extra) { _, new in new }
        }
        if let error = event.error, merged["error"] == nil {
            merged["error"] = .string("\(error)")
        }
        let record = LogRecord(
            timestamp: now(), pid: Self.pid, level: event.level, label: label,
            message: event.message.description, metadata: merged
        )
        sink.write(line: formatter.line(for: record))
    }
}
