/// Where a configuration value came from, so errors can tell the operator what to fix.
public enum ConfigOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A `key = value` line of an INI file (line numbers start at 1).
    case file(path: String, line: Int)
    /// An environment variable such as `CIRRUS__DEFAULT__DEBUG`.
    case environment(variable: String)
    /// A command-line option such as `--debug`.
    case commandLine(option: String)

    /// A short human-readable location, e.g. `/etc/cirrus/cirrus.conf:12`.
    public var description: String {
        switch self {
        case .file(let path, let line): "\(path):\(line)"
        case .environment(let variable): "environment variable \(variable)"
        case .commandLine(let option): "command-line option \(option)"
        }
    }
}

/// One raw (string) option value together with where it was set.
public struct ConfigOption: Sendable, Hashable {
    /// The value exactly as written, after oslo-style quote stripping.
    public var value: String
    /// Where the value was set.
    public var origin: ConfigOrigin

    /// Creates an option value.
    public init(value: String, origin: ConfigOrigin) {
        self.value = value
        self.origin = origin
    }
}
