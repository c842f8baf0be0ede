import ArgumentParser

extension TableFormatter.Format: ExpressibleByArgument {}

/// `-f/--format`, `-c/--column`, `--noindent`: cliff's output options, shared by list and show commands.
struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("format")], help: "Output format: table, json or value.")
    var format: TableFormatter.Format = .table

    @Option(name: [.customShort("c"), .customLong("column")], help: "Column to include (repeat for more).")
    var columns: [String] = []

    @Flag(help: "Print JSON on one line.")
    var noindent = false

    /// The formatter these options describe.
    var formatter: TableFormatter { TableFormatter(format: format, columns: columns, noIndent: noindent) }

    /// Prints a list.
    func printList(headers: [String], rows: [[Cell]]) throws {
        print(try formatter.list(headers: headers, rows: rows), terminator: "")
    }

    /// Prints one resource's fields.
    func printShow(_ fields: [(String, Cell)]) throws {
        print(try formatter.show(fields), terminator: "")
    }
}
