import Configuration

/// Cirrus configuration sources chained in oslo.config order, with typed access that names the
/// file and line (or variable, or option) of a bad value.
///
/// Precedence, highest first: command-line options, environment variables
/// (``EnvironmentOverridesScheme``: `CIRRUS__<SECTION>__<KEY>`), then the `--config-file`s with
/// the later file winning. Lookups go through a swift-configuration ``reader`` built from
/// ``OptionOverridesProvider``s and ``INIFileProvider``s, so services may also use the reader
/// directly (`reader.int(forKey: "compute.reserved_host_memory_mb", default: 512)`), at the cost
/// of the reader's non-throwing getters silently falling back to the default on a bad value;
/// prefer ``value(_:default:)``.
///
/// Keys are `section.key`; a key without a dot is in `DEFAULT`.
public struct CirrusConfigReader: Sendable {
    /// The swift-configuration reader over all sources, in precedence order.
    public let reader: ConfigReader
    /// The config file providers, in the order the files were given (the last one wins).
    public let files: [INIFileProvider]
    /// Overrides from `CIRRUS__...` environment variables.
    public let environment: OptionOverridesProvider
    /// Overrides from command-line options.
    public let commandLine: OptionOverridesProvider

    /// Chains already-parsed files, an environment and command-line overrides (`section.key` → value).
    ///
    /// - Throws: ``ConfigurationError`` for a malformed `CIRRUS__` environment variable.
    public init(
        files: [INIFile],
        environment: [String: String] = [:],
        commandLine: [String: String] = [:]
    ) throws(ConfigurationError) {
        self.files = files.map(INIFileProvider.init(file:))
        self.environment = try .environment(environment)
        self.commandLine = .commandLine(commandLine)
        let providers: [any ConfigProvider] = [self.commandLine, self.environment] + self.files.reversed()
        self.reader = ConfigReader(providers: providers)
    }

    /// Reads and parses `configFiles` (each must exist), then chains them as in ``init(files:environment:commandLine:)``.
    public static func load(
        configFiles: [String],
        environment: [String: String] = [:],
        commandLine: [String: String] = [:]
    ) throws(ConfigurationError) -> CirrusConfigReader {
        var parsed: [INIFile] = []
        for path in configFiles {
            parsed.append(try INIFile.load(path: path))
        }
        return try CirrusConfigReader(files: parsed, environment: environment, commandLine: commandLine)
    }

    /// The effective raw value of `key` and where it was set, or nil if no source sets it.
    public func option(_ key: String) -> ConfigOption? {
        let (section, name) = OptionTable.split(key)
        if let option = commandLine.option(section: section, key: name) { return option }
        if let option = environment.option(section: section, key: name) { return option }
        for file in files.reversed() {
            if let option = file.option(section: section, key: name) { return option }
        }
        return nil
    }

    /// All options set in `section` by any source, keyed by option name, each with its effective
    /// value; for open-ended sections such as `[upgrade_levels]`.
    public func options(inSection section: String) -> [String: ConfigOption] {
        var merged: [String: ConfigOption] = [:]
        for file in files {
            merged.merge(file.options(inSection: section)) { _, new in new }
        }
        merged.merge(environment.options(inSection: section)) { _, new in new }
        merged.merge(commandLine.options(inSection: section)) { _, new in new }
        return merged
    }

    /// The value of `key` converted to `T`, or nil when no source sets it.
    ///
    /// - Throws: ``ConfigurationError`` (`invalidValue`) naming the key, the value and its origin.
    public func value<T: ConfigOptionValue>(_ key: String, as type: T.Type = T.self) throws(ConfigurationError) -> T? {
        let (section, name) = OptionTable.split(key)
        guard let raw = reader.string(forKey: ConfigKey([section, name])) else { return nil }
        guard let value = T(configOptionValue: raw) else {
            throw invalidValue(key, expected: T.expectedValueDescription)
        }
        return value
    }

    /// The value of `key` converted to `T`, or `defaultValue` when no source sets it.
    ///
    /// - Throws: ``ConfigurationError`` (`invalidValue`) naming the key, the value and its origin.
    public func value<T: ConfigOptionValue>(_ key: String, default defaultValue: T) throws(ConfigurationError) -> T {
        try value(key, as: T.self) ?? defaultValue
    }

    /// The value of `key` converted to `T`.
    ///
    /// - Throws: ``ConfigurationError``: `missingRequiredValue` when unset, `invalidValue` when ill-typed.
    public func requiredValue<T: ConfigOptionValue>(_ key: String, as type: T.Type = T.self) throws(ConfigurationError) -> T {
        guard let value = try value(key, as: T.self) else { throw .missingRequiredValue(key: key) }
        return value
    }

    /// An `invalidValue` error for the current value of `key`, naming where it was set; for
    /// service-specific checks (`must be positive`) that the type alone cannot express.
    public func invalidValue(_ key: String, expected: String) -> ConfigurationError {
        let option = option(key)
        return .invalidValue(key: key, value: option?.value ?? "", origin: option?.origin, expected: expected)
    }
}
