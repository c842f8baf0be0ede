import Foundation

/// A parsed oslo.config-style INI file: `[section]` headers and `key = value` lines.
///
/// A pure value: build it with ``INIParser`` from text (tests do) or with ``load(path:)``.
/// Sections may repeat (they merge); within the file a later assignment of the same key wins,
/// as in oslo.config for single-valued options.
public struct INIFile: Sendable, Hashable {
    /// One `key = value` assignment.
    public struct Entry: Sendable, Hashable {
        /// The section the assignment is in, exactly as written (`DEFAULT`, `upgrade_levels`).
        public var section: String
        /// The option name.
        public var key: String
        /// The value, continuation lines joined with `\n`, surrounding quotes removed.
        public var value: String
        /// The 1-based line number of the `key = value` line.
        public var line: Int

        /// Creates an entry.
        public init(section: String, key: String, value: String, line: Int) {
            self.section = section
            self.key = key
            self.value = value
            self.line = line
        }
    }

    /// The path (or another name) the file was read from; used in error messages.
    public var path: String
    /// Every assignment in file order, including ones overridden later in the file.
    public var entries: [Entry]
    /// Section names in order of first appearance, including empty sections.
    public var sections: [String]

    /// Creates a file from already-parsed entries.
    public init(path: String, sections: [String], entries: [Entry]) {
        self.path = path
        self.sections = sections
        self.entries = entries
    }

    /// The effective (last) assignment of `key` in `section`, if any.
    public func entry(section: String, key: String) -> Entry? {
        entries.last { $0.section == section && $0.key == key }
    }

    /// The effective value of `key` in `section`, if any.
    public func value(section: String, key: String) -> String? {
        entry(section: section, key: key)?.value
    }

    /// The effective assignments of one section, keyed by option name.
    public func entries(inSection section: String) -> [String: Entry] {
        var result: [String: Entry] = [:]
        for entry in entries where entry.section == section {
            result[entry.key] = entry
        }
        return result
    }

    /// Reads and parses the file at `path`.
    ///
    /// - Throws: ``ConfigurationError`` with code `fileNotFound`, `fileUnreadable` or a parse error
    ///   naming the path and line.
    public static func load(path: String) throws(ConfigurationError) -> INIFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .fileNotFound(path: path)
        }
        if (try? FileManager.default.contentsOfDirectory(atPath: path)) != nil {
            throw .fileUnreadable(path: path, reason: "it is a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .fileUnreadable(path: path, reason: "permission denied or I/O error")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .fileUnreadable(path: path, reason: "not valid UTF-8")
        }
        return try INIParser().parse(text, path: path)
    }
}
