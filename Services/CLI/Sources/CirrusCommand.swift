import ArgumentParser

/// `cirrus`: the operator's command-line client.
public struct CirrusCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cirrus",
        abstract: "Operate a Cirrus cloud.",
        subcommands: [RPCCommand.self]
    )

    public init() {}
}

extension CirrusCommand {
    /// Parses the command line and runs the chosen (async) subcommand.
    public static func runMain() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
