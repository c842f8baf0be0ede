import Configuration

/// A swift-configuration provider serving the options of one parsed ``INIFile``.
///
/// Keys are `section.key` (`DEFAULT.transport_url`, `upgrade_levels.compute`); a key without a
/// section means `DEFAULT`. Values are converted on request (`int`, `bool`, lists, ...) and an
/// ill-typed value throws a ``ConfigurationError`` naming the file, line and option.
/// The file is read once; the provider never changes.
public struct INIFileProvider: ConfigProvider, Sendable {
    private let snapshotValue: OptionTableSnapshot
    /// The file this provider serves.
    public let file: INIFile

    /// Creates a provider over an already-parsed file.
    public init(file: INIFile) {
        self.file = file
        var table = OptionTable(providerName: "INIFileProvider[\(file.path)]", matching: .exact)
        for entry in file.entries {
            table.set(
                section: entry.section, key: entry.key,
                option: ConfigOption(value: entry.value, origin: .file(path: file.path, line: entry.line))
            )
        }
        self.snapshotValue = OptionTableSnapshot(table: table)
    }

    /// Reads and parses the file at `path` (see ``INIFile/load(path:)``).
    public init(path: String) throws(ConfigurationError) {
        self.init(file: try INIFile.load(path: path))
    }

    /// The raw option for `key` in `section`, with its file and line.
    public func option(section: String, key: String) -> ConfigOption? {
        snapshotValue.table.option(section: section, key: key)
    }

    /// The raw options of one section, keyed by option name.
    public func options(inSection section: String) -> [String: ConfigOption] {
        snapshotValue.table.options(inSection: section)
    }

    /// `INIFileProvider[<path>]`.
    public var providerName: String { snapshotValue.providerName }

    /// Looks up and converts a value; throws ``ConfigurationError`` for ill-typed values.
    public func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        try snapshotValue.value(forKey: key, type: type)
    }

    /// Same as ``value(forKey:type:)``: the parsed file is the source of truth.
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
