import Configuration

/// A swift-configuration provider serving the options of one parsed ``INIFile``.
///
/// Keys are `section.key` (`DEFAULT.transport_url`, `upgrade_levels.compute`); a key without a
/// section means `DEFAULT`. Values are converted on request (`int`, `bool`, lists, ...) and an
/// ill-typed value throws a ``ConfigurationError`` naming the file, line and option.
/// The file is read once; the provider never changes.
public struct INIFileProvider: FixedTableProvider {
    let tableSnapshot: OptionTableSnapshot
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
        self.tableSnapshot = OptionTableSnapshot(table: table)
    }

    /// Reads and parses the file at `path` (see ``INIFile/load(path:)``).
    public init(path: String) throws(ConfigurationError) {
        self.init(file: try INIFile.load(path: path))
    }
}
