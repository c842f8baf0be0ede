import Logging

/// Turns a ``LogRecord`` into one line of text (without the trailing newline).
///
/// Metadata keys recognised in the oslo format (and kept as ordinary keys in JSON):
/// `request.id`, `user.id`, `project.id` form the context block `[req-... user project]`
/// (`[-]` when none is set, a missing part shows `-`), `instance.id` becomes
/// `[instance: <uuid>]` and `port.id` `[port: <uuid>]`. The rest follows the message as
/// `key=value`, sorted by key; values containing spaces, quotes or `=` are double-quoted.
///
/// Levels print as oslo/Python names: `TRACE`, `DEBUG`, `INFO` (also for `notice`),
/// `WARNING`, `ERROR`, `CRITICAL`.
public struct LogLineFormatter: Sendable, Hashable {
    /// The metadata keys with a place of their own in the oslo format.
    public enum Keys {
        /// `request.id`: the request id, `req-<uuid>`.
        public static let requestID = "request.id"
        /// `user.id`: the user the request acts for.
        public static let userID = "user.id"
        /// `project.id`: the project the request acts in.
        public static let projectID = "project.id"
        /// `instance.id`: the instance concerned.
        public static let instanceID = "instance.id"
        /// `port.id`: the port concerned.
        public static let portID = "port.id"
    }

    /// The output format.
    public var format: LogFormat

    /// Creates a formatter for `format`.
    public init(format: LogFormat) {
        self.format = format
    }

    /// The line for `record`, without a newline.
    public func line(for record: LogRecord) -> String {
        switch format {
        case .oslo: osloLine(record)
        case .json: jsonLine(record)
        }
    }

    /// The oslo/Python name of a level.
    public static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }

    private static let placedKeys: Set<String> = [
        Keys.requestID, Keys.userID, Keys.projectID, Keys.instanceID, Keys.portID,
    ]

    private func osloLine(_ record: LogRecord) -> String {
        var line = Self.osloTime(record.timestamp)
        line += " \(record.pid) \(Self.levelName(record.level)) \(record.label) "
        let metadata = record.metadata
        let request = metadata[Keys.requestID].map { "\($0)" }
        let user = metadata[Keys.userID].map { "\($0)" }
        let project = metadata[Keys.projectID].map { "\($0)" }
        if request == nil && user == nil && project == nil {
            line += "[-] "
        } else {
            line += "[\(request ?? "-") \(user ?? "-") \(project ?? "-")] "
        }
        if let instance = metadata[Keys.instanceID] { line += "[instance: \(instance)] " }
        if let port = metadata[Keys.portID] { line += "[port: \(port)] " }
        line += record.message
        for key in metadata.keys.sorted() where !Self.placedKeys.contains(key) {
            line += " \(key)=\(Self.osloValue(metadata[key]!))"
        }
        return line
    }

    /// `2026-11-28 10:19:38.123`.
    static func osloTime(_ t: LogTimestamp) -> String {
        "\(pad(t.year, 4))-\(pad(t.month, 2))-\(pad(t.day, 2)) "
            + "\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2)).\(pad(t.millisecond, 3))"
    }

    /// `2026-11-28T10:19:38.123+01:00`.
    static func isoTime(_ t: LogTimestamp) -> String {
        let offset = abs(t.utcOffsetSeconds)
        let sign = t.utcOffsetSeconds < 0 ? "-" : "+"
        return "\(pad(t.year, 4))-\(pad(t.month, 2))-\(pad(t.day, 2))T"
            + "\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2)).\(pad(t.millisecond, 3))"
            + "\(sign)\(pad(offset / 3600, 2)):\(pad(offset % 3600 / 60, 2))"
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func osloValue(_ value: Logger.MetadataValue) -> String {
        let text = "\(value)"
        let needsQuotes = text.isEmpty || text.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }
}
