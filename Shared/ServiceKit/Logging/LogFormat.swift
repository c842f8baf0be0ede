/// How log lines are written (`DEFAULT.log_format`).
public enum LogFormat: String, Sendable, Hashable, CaseIterable, ConfigOptionValue {
    /// oslo.log's line format:
    /// `<time> <pid> <LEVEL> <logger> [<request id> <user> <project>] [instance: <uuid>] <message> <key=value...>`.
    case oslo
    /// One JSON object per line: `time`, `pid`, `level`, `logger`, `message` and every metadata key.
    case json
}
