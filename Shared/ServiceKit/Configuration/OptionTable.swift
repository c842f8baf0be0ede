import Configuration

/// The raw string options of one source (a file, the environment, the command line),
/// keyed by section and option name, shared by the Cirrus config providers.
struct OptionTable: Sendable {
    /// Whether section and key names match exactly or ignoring case (environment variables).
    enum Matching: Sendable { case exact, ignoringCase }

    let providerName: String
    let matching: Matching
    /// section -> key -> option, names normalised according to `matching`.
    private var sections: [String: [String: ConfigOption]] = [:]

    init(providerName: String, matching: Matching) {
        self.providerName = providerName
        self.matching = matching
    }

    mutating func set(section: String, key: String, option: ConfigOption) {
        sections[normalised(section: section), default: [:]][normalised(key: key)] = option
    }

    func option(section: String, key: String) -> ConfigOption? {
        sections[normalised(section: section)]?[normalised(key: key)]
    }

    /// The options of one section, keyed by option name (lower-cased when matching ignores case).
    func options(inSection section: String) -> [String: ConfigOption] {
        sections[normalised(section: section)] ?? [:]
    }

    private func normalised(section: String) -> String {
        matching == .exact ? section : section.uppercased()
    }

    private func normalised(key: String) -> String {
        matching == .exact ? key : key.lowercased()
    }

    /// Splits a reader key: `[section, key]`; a single component means `DEFAULT.<key>`;
    /// more than two keep everything after the section as the key (`a.b.c` → `a`, `b.c`).
    static func split(_ components: [String]) -> (section: String, key: String)? {
        switch components.count {
        case 0: nil
        case 1: ("DEFAULT", components[0])
        default: (components[0], components.dropFirst().joined(separator: "."))
        }
    }

    /// Splits a dotted `section.key` string the same way.
    static func split(_ dotted: String) -> (section: String, key: String) {
        guard let dot = dotted.firstIndex(of: ".") else { return ("DEFAULT", dotted) }
        return (String(dotted[..<dot]), String(dotted[dotted.index(after: dot)...]))
    }
}

/// A `ConfigSnapshot` over an ``OptionTable`` that converts strings to the requested type and
/// refuses ill-typed values with an error naming the option and where it was set.
struct OptionTableSnapshot: ConfigSnapshot, CustomStringConvertible {
    let table: OptionTable

    var providerName: String { table.providerName }

    var description: String { providerName }

    func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        guard let (section, name) = OptionTable.split(key.components) else {
            return LookupResult(encodedKey: "", value: nil)
        }
        let dotted = "\(section).\(name)"
        guard let option = table.option(section: section, key: name) else {
            return LookupResult(encodedKey: dotted, value: nil)
        }
        let content = try Self.content(of: option, key: dotted, type: type)
        return LookupResult(
            encodedKey: option.origin.description,
            value: ConfigValue(content, isSecret: Self.isSecret(name))
        )
    }

    /// Options whose values are never shown in access logs.
    static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return lowered == "transport_url" || lowered.contains("password") || lowered.contains("secret")
    }

    static func content(of option: ConfigOption, key: String, type: ConfigType) throws(ConfigurationError) -> ConfigContent {
        func convert<T: ConfigOptionValue>(_: T.Type) throws(ConfigurationError) -> T {
            guard let value = T(configOptionValue: option.value) else {
                throw .invalidValue(
                    key: key, value: option.value, origin: option.origin, expected: T.expectedValueDescription
                )
            }
            return value
        }
        switch type {
        case .string: return .string(option.value)
        case .int: return .int(try convert(Int.self))
        case .double: return .double(try convert(Double.self))
        case .bool: return .bool(try convert(Bool.self))
        case .bytes: return .bytes(Array(option.value.utf8))
        case .stringArray: return .stringArray(try convert([String].self))
        case .intArray: return .intArray(try convert([Int].self))
        case .doubleArray: return .doubleArray(try convert([Double].self))
        case .boolArray: return .boolArray(try convert([Bool].self))
        case .byteChunkArray: return .byteChunkArray(try convert([String].self).map { Array($0.utf8) })
        }
    }
}
