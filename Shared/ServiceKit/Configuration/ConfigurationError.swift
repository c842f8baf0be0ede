/// An error loading or reading Cirrus configuration.
///
/// The ``description`` always says where the problem is (file and line, environment variable or
/// command-line option), which option is affected and what to do about it.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, extensible classification of configuration errors.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case syntax, assignmentOutsideSection, invalidValue, fileNotFound, fileUnreadable
            case missingRequiredValue, invalidEnvironmentVariable
        }
        private let base: Base

        /// A line of an INI file could not be parsed.
        public static let syntax = Code(base: .syntax)
        /// A `key = value` line appears before the first `[section]` header.
        public static let assignmentOutsideSection = Code(base: .assignmentOutsideSection)
        /// A value could not be converted to the option's type or is not one of its allowed values.
        public static let invalidValue = Code(base: .invalidValue)
        /// A `--config-file` path does not exist.
        public static let fileNotFound = Code(base: .fileNotFound)
        /// A config file exists but could not be read (permissions, not UTF-8, a directory, ...).
        public static let fileUnreadable = Code(base: .fileUnreadable)
        /// An option without a default is not set anywhere.
        public static let missingRequiredValue = Code(base: .missingRequiredValue)
        /// A `CIRRUS__...` environment variable does not follow `CIRRUS__<SECTION>__<KEY>`.
        public static let invalidEnvironmentVariable = Code(base: .invalidEnvironmentVariable)

        /// The code's name, e.g. `invalidValue`.
        public var description: String { base.rawValue }
    }

    /// What kind of error this is.
    public var code: Code
    /// The option concerned, as `section.key`, when there is one.
    public var key: String?
    /// Where the offending value or line came from, when known.
    public var origin: ConfigOrigin?
    /// The full message, naming location, option and remedy.
    public var message: String

    /// The full message, naming location, option and remedy.
    public var description: String { message }

    private init(code: Code, key: String?, origin: ConfigOrigin?, message: String) {
        self.code = code
        self.key = key
        self.origin = origin
        self.message = message
    }
}

extension ConfigurationError {
    static func syntax(path: String, line: Int, _ problem: String) -> Self {
        .init(
            code: .syntax, key: nil, origin: .file(path: path, line: line),
            message: "\(path):\(line): \(problem)"
        )
    }

    static func assignmentOutsideSection(path: String, line: Int, key: String) -> Self {
        .init(
            code: .assignmentOutsideSection, key: key, origin: .file(path: path, line: line),
            message: "\(path):\(line): option '\(key)' is set before any [section] header; "
                + "put it under [DEFAULT] or the section it belongs to"
        )
    }

    static func invalidValue(key: String, value: String, origin: ConfigOrigin?, expected: String) -> Self {
        let location = origin.map { "\($0): " } ?? ""
        return .init(
            code: .invalidValue, key: key, origin: origin,
            message: "\(location)invalid value '\(value)' for option \(key): expected \(expected)"
        )
    }

    static func fileNotFound(path: String) -> Self {
        .init(
            code: .fileNotFound, key: nil, origin: nil,
            message: "config file \(path) does not exist; check the --config-file argument"
        )
    }

    static func fileUnreadable(path: String, reason: String) -> Self {
        .init(
            code: .fileUnreadable, key: nil, origin: nil,
            message: "config file \(path) could not be read (\(reason)); check its permissions and encoding"
        )
    }

    static func missingRequiredValue(key: String) -> Self {
        .init(
            code: .missingRequiredValue, key: key, origin: nil,
            message: "option \(key) is required but not set; add it to the config file, "
                + "the environment (\(EnvironmentOverridesScheme.variableName(forKey: key))) or the command line"
        )
    }

    static func invalidEnvironmentVariable(_ name: String) -> Self {
        .init(
            code: .invalidEnvironmentVariable, key: nil, origin: .environment(variable: name),
            message: "environment variable \(name) does not name an option; "
                + "use CIRRUS__<SECTION>__<KEY>, e.g. CIRRUS__DEFAULT__TRANSPORT_URL"
        )
    }
}
