import ArgumentParser

/// `cirrus server …`: instances.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Create, list, show, delete and power-control servers.",
        subcommands: [
            ServerCreateCommand.self, ServerListCommand.self, ServerShowCommand.self, ServerDeleteCommand.self,
            ServerStopCommand.self, ServerStartCommand.self, ServerRebootCommand.self, ServerEventCommand.self,
        ])
}

/// `--wait` and its limit, shared by the commands that can wait.
struct WaitOptions: ParsableArguments {
    @Flag(help: "Wait for the operation to finish, showing progress.")
    var wait = false

    @Option(name: .customLong("wait-timeout"), help: "Seconds to wait at most with --wait.")
    var waitTimeout = 600

    func validate() throws {
        guard waitTimeout > 0 else { throw ValidationError("--wait-timeout must be a positive number of seconds.") }
    }
}
