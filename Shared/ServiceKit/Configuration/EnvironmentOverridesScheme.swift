/// How environment variables override configuration options.
///
/// The scheme is `CIRRUS__<SECTION>__<KEY>`, upper-cased, with a double underscore before the
/// section and before the key (a single underscore cannot separate them, because section and
/// option names contain underscores). It mirrors oslo.config's `OS_<GROUP>__<OPTION>`:
///
/// | option | environment variable |
/// |---|---|
/// | `DEFAULT.transport_url` | `CIRRUS__DEFAULT__TRANSPORT_URL` |
/// | `oslo_messaging_rabbit.heartbeat_timeout_threshold` | `CIRRUS__OSLO_MESSAGING_RABBIT__HEARTBEAT_TIMEOUT_THRESHOLD` |
/// | `upgrade_levels.compute` | `CIRRUS__UPGRADE_LEVELS__COMPUTE` |
///
/// Names match sections and keys ignoring case; keys discovered from the environment (for
/// open-ended sections such as `[upgrade_levels]`) are lower-cased. Any other variable starting
/// with `CIRRUS__` is refused so that a typo does not go unnoticed.
public enum EnvironmentOverridesScheme {
    /// `CIRRUS__`.
    public static let prefix = "CIRRUS__"

    /// The variable that overrides `key` (`section.key`, or a bare key for `DEFAULT`).
    public static func variableName(forKey key: String) -> String {
        let (section, name) = OptionTable.split(key)
        return variableName(section: section, key: name)
    }

    /// The variable that overrides `key` in `section`.
    public static func variableName(section: String, key: String) -> String {
        prefix + section.uppercased() + "__" + key.uppercased()
    }

    /// The section and key a variable names, nil if it is not a Cirrus variable,
    /// and throws if it starts with the prefix but is malformed.
    static func parse(variable name: String) throws(ConfigurationError) -> (section: String, key: String)? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard let range = rest.range(of: "__") else { throw .invalidEnvironmentVariable(name) }
        let section = rest[..<range.lowerBound]
        let key = rest[range.upperBound...]
        guard !section.isEmpty, !key.isEmpty else { throw .invalidEnvironmentVariable(name) }
        return (String(section), String(key))
    }
}
