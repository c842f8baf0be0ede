/// Renders command results the way openstackclient (cliff) does: `table` (prettytable borders,
/// left-aligned, header row), `json` (indented like Python's `json.dumps(indent=2)`), `value`
/// (space-separated values, one row per line). `-c` selects columns.
///
/// Pure: takes headers and cells, returns the text to print (ending in a newline, or empty).
public struct TableFormatter: Sendable {
    /// The `-f` choices.
    public enum Format: String, Sendable, CaseIterable {
        case table, json, value
    }

    /// Output format.
    public var format: Format
    /// Columns chosen with `-c`; empty means all.
    public var columns: [String]
    /// `--noindent`: compact JSON on one line.
    public var noIndent: Bool

    public init(format: Format = .table, columns: [String] = [], noIndent: Bool = false) {
        self.format = format
        self.columns = columns
        self.noIndent = noIndent
    }

    /// A list: one row per resource under the given headers.
    public func list(headers: [String], rows: [[Cell]]) throws -> String {
        let picked = try selection(from: headers)
        let h = picked.map { headers[$0] }
        let r = rows.map { row in picked.map { $0 < row.count ? row[$0] : Cell(.null) } }
        switch format {
        case .table:
            return r.isEmpty ? "" : TableFormatter.grid(headers: h, rows: r.map { $0.map(\.human) })
        case .value:
            return r.map { $0.map(\.human).joined(separator: " ") + "\n" }.joined()
        case .json:
            let objects = r.map { row in PrettyJSON.Node.object(zip(h, row.map { PrettyJSON.Node($0.machine) }).map { ($0, $1) }) }
            return PrettyJSON.render(.array(objects), indent: noIndent ? nil : 2) + "\n"
        }
    }

    /// One resource: a Field/Value table, a JSON object, or one value per line.
    public func show(_ fields: [(String, Cell)]) throws -> String {
        let picked = try selection(from: fields.map(\.0))
        let f = picked.map { fields[$0] }
        switch format {
        case .table:
            return TableFormatter.grid(headers: ["Field", "Value"], rows: f.map { [$0.0, $0.1.human] })
        case .value:
            return f.map { $0.1.human + "\n" }.joined()
        case .json:
            let node = PrettyJSON.Node.object(f.map { ($0.0, PrettyJSON.Node($0.1.machine)) })
            return PrettyJSON.render(node, indent: noIndent ? nil : 2) + "\n"
        }
    }

    /// Indices of the chosen columns, in the table's own order as cliff keeps it; a name matches
    /// exactly or case-insensitively (`-c id` finds `ID`); an unknown name is an error.
    func selection(from headers: [String]) throws -> [Int] {
        guard !columns.isEmpty else { return Array(headers.indices) }
        var picked = Set<Int>()
        for wanted in columns {
            guard let i = headers.firstIndex(of: wanted) ?? headers.firstIndex(where: { $0.lowercased() == wanted.lowercased() })
            else { throw CLIError("No column named '\(wanted)'. Columns: \(headers.joined(separator: ", ")).") }
            picked.insert(i)
        }
        return picked.sorted()
    }

    /// prettytable's grid: `+`/`-` borders, `|` separators, one space of padding, left-aligned;
    /// a cell with newlines spans several lines.
    public static func grid(headers: [String], rows: [[String]]) -> String {
        let split = rows.map { $0.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } }
        var widths = headers.map(\.count)
        for row in split {
            for (i, lines) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], lines.map(\.count).max() ?? 0)
            }
        }
        let border = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+\n"
        func line(_ cells: [String]) -> String {
            "|" + zip(cells, widths).map { " " + $0 + String(repeating: " ", count: $1 - $0.count) + " " }
                .joined(separator: "|") + "|\n"
        }
        var out = border + line(headers) + border
        for row in split {
            let height = row.map(\.count).max() ?? 1
            for k in 0..<max(height, 1) {
                out += line(widths.indices.map { i in i < row.count && k < row[i].count ? row[i][k] : "" })
            }
        }
        return out + border
    }
}
