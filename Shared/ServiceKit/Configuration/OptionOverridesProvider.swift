import Configuration

/// A swift-configuration provider for option overrides from the environment or the command line.
///
/// Keys and value conversion are those of ``INIFileProvider``; errors name the environment
/// variable or command-line option instead of a file line.
public struct OptionOverridesProvider: FixedTableProvider {
    let tableSnapshot: OptionTableSnapshot

    private init(table: OptionTable) {
        self.tableSnapshot = OptionTableSnapshot(table: table)
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
}
