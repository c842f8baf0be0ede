import Foundation

/// Reads what the CLI needs from cirrus.conf files.
enum CLIConfig {
    /// `[DEFAULT] transport_url` of the last file that sets it.
    static func transportURL(files: [String]) throws -> String {
        var found: String?
        for path in files {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CLIError("cannot read configuration file \(path)")
            }
            var section = ""
            for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("[") && line.hasSuffix("]") { section = String(line.dropFirst().dropLast()) }
                if section == "DEFAULT", let eq = line.firstIndex(of: "="),
                   line[..<eq].trimmingCharacters(in: .whitespaces) == "transport_url" {
                    found = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        guard let found else { throw CLIError("no [DEFAULT] transport_url in \(files.joined(separator: ", "))") }
        return found
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
