import ArgumentParser

/// `cirrus rpc`: talk to services over the message bus directly (operator aids).
struct RPCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc",
        abstract: "Ping services or call RPC methods over RabbitMQ.",
        subcommands: [RPCPingCommand.self, RPCCallCommand.self]
    )
}
