import Configuration

/// A swift-configuration provider for option overrides from the environment or the command line.
///
/// Keys and value conversion are those of ``INIFileProvider``; errors name the environment
/// variable or command-line option instead of a file line.
public struct OptionOverridesProvider: ConfigProvider, Sendable {
    private let snapshotValue: OptionTableSnapshot

    private init(table: OptionTable) {
        self.snapshotValue = OptionTableSnapshot(table: table)
    }

    /// Overrides from environment variables following ``EnvironmentOverridesScheme``
    /// (`CIRRUS__DEFAULT__DEBUG=true`); variables without the `CIRRUS__` prefix are ignored.
    ///
    /// - Throws: ``ConfigurationError`` (`invalidEnvironmentVariable`) for a malformed `CIRRUS__` name.
    public static func environment(_ environment: [String: String]) throws(ConfigurationError) -> Self {
        var table = OptionTable(providerName: "OptionOverridesProvider[environment]", matching: .ignoringCase)
        for (name, value) in environment {
            guard let (section, key) = try EnvironmentOverridesScheme.parse(variable: name) else { continue }
            table.set(section: section, key: key, option: ConfigOption(value: value, origin: .environment(variable: name)))
        }
        return Self(table: table)
    }

    /// Overrides from command-line options, keyed `section.key` (`DEFAULT.debug` → `"true"`).
    ///
    /// Errors name the option as `--<key with dashes>` (`DEFAULT.log_file` → `--log-file`).
    public static func commandLine(_ overrides: [String: String]) -> Self {
        var table = OptionTable(providerName: "OptionOverridesProvider[command line]", matching: .exact)
        for (dotted, value) in overrides {
            let (section, key) = OptionTable.split(dotted)
            let flag = "--" + String(key.map { $0 == "_" ? "-" : $0 })
            table.set(section: section, key: key, option: ConfigOption(value: value, origin: .commandLine(option: flag)))
        }
        return Self(table: table)
    }

    /// The raw option for `key` in `section`, with its origin.
    public func option(section: String, key: String) -> ConfigOption? {
        snapshotValue.table.option(section: section, key: key)
    }

    /// The raw options of one section, keyed by option name.
    public func options(inSection section: String) -> [String: ConfigOption] {
        snapshotValue.table.options(inSection: section)
    }

    /// `OptionOverridesProvider[environment]` or `OptionOverridesProvider[command line]`.
    public var providerName: String { snapshotValue.providerName }

    /// Looks up and converts a value; throws ``ConfigurationError`` for ill-typed values.
    public func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        try snapshotValue.value(forKey: key, type: type)
    }

    /// Same as ``value(forKey:type:)``: overrides are fixed at start.
    nonisolated(nonsending) public func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
        try value(forKey: key, type: type)
    }

    /// Emits the current value once; the provider never changes.
    nonisolated(nonsending) public func watchValue<Return: ~Copyable>(
        forKey key: AbsoluteConfigKey,
        type: ConfigType,
        updatesHandler: nonisolated(nonsending) (
            _ updates: ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>
        ) async throws -> Return
    ) async throws -> Return {
        try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
    }

    /// The (only) snapshot.
    public func snapshot() -> any ConfigSnapshot { snapshotValue }

    /// Emits the current snapshot once; the provider never changes.
    nonisolated(nonsending) public func watchSnapshot<Return: ~Copyable>(
        updatesHandler: nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}
