import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A wall-clock time broken down in local time, as log lines show it.
public struct LogTimestamp: Sendable, Hashable {
    /// Calendar year, e.g. 2026.
    public var year: Int
    /// Month 1...12.
    public var month: Int
    /// Day of the month 1...31.
    public var day: Int
    /// Hour 0...23.
    public var hour: Int
    /// Minute 0...59.
    public var minute: Int
    /// Second 0...60.
    public var second: Int
    /// Millisecond 0...999.
    public var millisecond: Int
    /// Offset of local time from UTC, in seconds (east positive).
    public var utcOffsetSeconds: Int

    /// Creates a timestamp from its components.
    public init(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
        millisecond: Int, utcOffsetSeconds: Int = 0
    ) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// The current local time (`clock_gettime` + `localtime_r`; no Foundation formatters).
    public static func now() -> LogTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var broken = tm()
        localtime_r(&seconds, &broken)
        return LogTimestamp(
            year: Int(broken.tm_year) + 1900, month: Int(broken.tm_mon) + 1, day: Int(broken.tm_mday),
            hour: Int(broken.tm_hour), minute: Int(broken.tm_min), second: Int(broken.tm_sec),
            millisecond: Int(spec.tv_nsec / 1_000_000), utcOffsetSeconds: Int(broken.tm_gmtoff)
        )
    }
}

/// One log event, ready to be formatted: what ``LogLineFormatter`` turns into a line.
public struct LogRecord: Sendable {
    /// When the event happened.
    public var timestamp: LogTimestamp
    /// The process id.
    public var pid: Int32
    /// The level.
    public var level: Logger.Level
    /// The logger label, e.g. `cirrus.compute`.
    public var label: String
    /// The message.
    public var message: String
    /// All metadata: handler, provider and per-call, merged (per-call wins).
    public var metadata: Logger.Metadata

    /// Creates a record.
    public init(
        timestamp: LogTimestamp, pid: Int32, level: Logger.Level, label: String,
        message: String, metadata: Logger.Metadata
    ) {
        self.timestamp = timestamp
        self.pid = pid
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
    }
}
