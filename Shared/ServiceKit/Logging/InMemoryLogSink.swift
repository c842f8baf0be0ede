import Logging
import Synchronization

/// Collects log lines in memory, for tests: build loggers with ``logger(label:format:level:)``
/// instead of bootstrapping the global logging system.
public final class InMemoryLogSink: LogSink {
    private let storage = Mutex<[String]>([])

    /// Creates an empty sink.
    public init() {}

    /// Appends `line`.
    public func write(line: String) {
        storage.withLock { $0.append(line) }
    }

    /// Every line written so far, in order.
    public var lines: [String] {
        storage.withLock { $0 }
    }

    /// Forgets every line written so far.
    public func clear() {
        storage.withLock { $0.removeAll() }
    }

    /// A logger writing to this sink through a ``CirrusLogHandler``.
    public func logger(label: String, format: LogFormat = .oslo, level: Logger.Level = .trace) -> Logger {
        Logger(label: label) { label in
            CirrusLogHandler(label: label, formatter: LogLineFormatter(format: format), sink: self, logLevel: level)
        }
    }
}
