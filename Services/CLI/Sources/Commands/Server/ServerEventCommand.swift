import ArgumentParser
import Messaging

/// `cirrus server event list|show`: a server's instance actions.
struct ServerEventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event", abstract: "A server's actions (create, stop, reboot, …).",
        subcommands: [ServerEventListCommand.self, ServerEventShowCommand.self])
}

/// `cirrus server event list [--long] SERVER`: Request ID | Server ID | Action | Start Time.
struct ServerEventListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a server's actions.")

    @Flag(help: "Also show message, project and user.")
    var long = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Server (name or ID).")
    var server: String

    static let headers = ["Request ID", "Server ID", "Action", "Start Time"]
    static let longHeaders = ["Message", "Project ID", "User ID"]

    /// One row of the list.
    static func row(_ a: JSONValue, long: Bool) -> [Cell] {
        let keys = ["request_id", "instance_uuid", "action", "start_time"] + (long ? ["message", "project_id", "user_id"] : [])
        return keys.map { Cell(a[$0] ?? .null) }
    }

    func run() async throws {
        let client = try await cloud.connect()
        let id = try await ResourceFinder(client: client).id(.server, server)
        let actions = try await client.get(.compute, "servers/\(id)/os-instance-actions")["instanceActions"]?.arrayValue ?? []
        try output.printList(
            headers: Self.headers + (long ? Self.longHeaders : []), rows: actions.map { Self.row($0, long: long) })
    }
}

/// `cirrus server event show SERVER REQUEST_ID`.
struct ServerEventShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one action of a server, with its events.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Server (name or ID).")
    var server: String

    @Argument(help: "Request ID of the action.")
    var requestID: String

    func run() async throws {
        let client = try await cloud.connect()
        let id = try await ResourceFinder(client: client).id(.server, server)
        let action = try await client.get(.compute, "servers/\(id)/os-instance-actions/\(ResourceKind.segment(requestID))")
        var overrides: [String: Cell] = [:]
        if let events = action["instanceAction"]?["events"]?.arrayValue {
            overrides["events"] = Cell(.array(events), human: events.map { Cell.display($0) }.joined(separator: "\n"))
        }
        try output.printShow(ResourceFields.fields(action["instanceAction"] ?? .null, overrides: overrides))
    }
}
