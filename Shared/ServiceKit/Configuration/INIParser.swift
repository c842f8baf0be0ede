/// Parses oslo.config-style INI text into an ``INIFile``.
///
/// Rules (those of `oslo_config.iniparser`, slightly more forgiving about comments):
/// - `[name]` starts a section; `[DEFAULT]` is the section for general options.
/// - `key = value` or `key: value`; the first `=` or `:` separates. Key and value are trimmed;
///   a value wrapped in matching `"` or `'` quotes loses them.
/// - Lines whose first non-blank character is `#` or `;` are comments. There are no inline comments:
///   `a = b # c` sets `a` to `b # c`, as oslo.config does.
/// - A line starting with a space or tab continues the previous value (joined with `\n`);
///   a blank line ends it.
/// - An assignment before any section header, a header without `]` or name, a line without a
///   separator, an empty key or a key with characters other than letters, digits, `_`, `-`, `.`
///   is refused with the path and line number.
public struct INIParser: Sendable {
    /// Creates a parser.
    public init() {}

    /// Parses `text`; `path` names the file in entries' origins and in errors.
    public func parse(_ text: String, path: String) throws(ConfigurationError) -> INIFile {
        var sections: [String] = []
        var entries: [INIFile.Entry] = []
        var section: String?
        var pending: INIFile.Entry?

        func flush() {
            if let entry = pending { entries.append(entry) }
            pending = nil
        }

        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = rawLine.trimmingTrailingWhitespace()
            let trimmed = line.trimmingLeadingWhitespace()
            if trimmed.isEmpty {
                flush()
                continue
            }
            if trimmed.first == "#" || trimmed.first == ";" {
                continue
            }
            if line.first == " " || line.first == "\t" {
                guard pending != nil else {
                    throw .syntax(
                        path: path, line: lineNumber,
                        "unexpected indented line '\(trimmed)'; indentation continues a previous value, "
                            + "remove the leading whitespace"
                    )
                }
                pending!.value += "\n" + trimmed
                continue
            }
            flush()
            if line.first == "[" {
                guard line.last == "]" else {
                    throw .syntax(path: path, line: lineNumber, "section header '\(line)' is missing the closing ']'")
                }
                let name = String(line.dropFirst().dropLast()).trimmingWhitespace()
                guard !name.isEmpty else {
                    throw .syntax(path: path, line: lineNumber, "section header '[]' has no name")
                }
                section = name
                if !sections.contains(name) { sections.append(name) }
                continue
            }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw .syntax(
                    path: path, line: lineNumber,
                    "expected 'key = value', '[section]' or a '#' comment, found '\(line)'"
                )
            }
            let key = String(line[..<separator]).trimmingWhitespace()
            guard !key.isEmpty else {
                throw .syntax(path: path, line: lineNumber, "assignment '\(line)' has no key before '\(line[separator])'")
            }
            guard key.allSatisfy(Self.isKeyCharacter) else {
                throw .syntax(
                    path: path, line: lineNumber,
                    "invalid option name '\(key)'; names use letters, digits, '_', '-' and '.'"
                )
            }
            guard let section else {
                throw .assignmentOutsideSection(path: path, line: lineNumber, key: key)
            }
            let value = Self.unquoted(String(line[line.index(after: separator)...]).trimmingWhitespace())
            pending = .init(section: section, key: key, value: value, line: lineNumber)
        }
        flush()
        return INIFile(path: path, sections: sections, entries: entries)
    }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_-.".contains(character))
    }

    private static func unquoted(_ value: String) -> String {
        guard value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first else {
            return value
        }
        return String(value.dropFirst().dropLast())
    }
}

extension StringProtocol {
    func trimmingLeadingWhitespace() -> SubSequence {
        self[(firstIndex { !$0.isWhitespace } ?? endIndex)...]
    }

    func trimmingTrailingWhitespace() -> SubSequence {
        guard let last = lastIndex(where: { !$0.isWhitespace }) else { return self[startIndex..<startIndex] }
        return self[...last]
    }

    func trimmingWhitespace() -> String {
        String(trimmingLeadingWhitespace().trimmingTrailingWhitespace())
    }
}
