import Configuration

/// A swift-configuration provider whose options are fixed when it is made (a parsed file,
/// the environment, the command line): everything but the table comes from this extension.
protocol FixedTableProvider: ConfigProvider, Sendable {
    /// The provider's only snapshot.
    var tableSnapshot: OptionTableSnapshot { get }
}

extension FixedTableProvider {
    /// The raw option for `key` in `section`, with its origin (file and line, variable, flag).
    public func option(section: String, key: String) -> ConfigOption? {
        tableSnapshot.table.option(section: section, key: key)
    }

    /// The raw options of one section, keyed by option name.
    public func options(inSection section: String) -> [String: ConfigOption] {
        tableSnapshot.table.options(inSection: section)
    }

    public var providerName: String { tableSnapshot.providerName }

    /// Looks up and converts a value; throws ``ConfigurationError`` for ill-typed values.
    public func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        try tableSnapshot.value(forKey: key, type: type)
    }

    /// Same as ``value(forKey:type:)``: the table is the source of truth.
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
    public func snapshot() -> any ConfigSnapshot { tableSnapshot }

    /// Emits the current snapshot once; the provider never changes.
    nonisolated(nonsending) public func watchSnapshot<Return: ~Copyable>(
        updatesHandler: nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}
