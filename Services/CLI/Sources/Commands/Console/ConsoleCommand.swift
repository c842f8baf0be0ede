import ArgumentParser
import Messaging

/// `cirrus console log show|url show`: a server's console log and remote console URL
/// (openstackclient's command names), plus the short forms `console log SERVER` / `console url SERVER`.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console", abstract: "Show a server's console log or remote console URL.",
        subcommands: [ConsoleLogCommand.self, ConsoleURLCommand.self])
}

/// `cirrus console log [show] …`.
struct ConsoleLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show a server's console log.",
        subcommands: [ConsoleLogShowCommand.self], defaultSubcommand: ConsoleLogShowCommand.self)
}

/// `cirrus console url [show] …`.
struct ConsoleURLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "url", abstract: "Show a server's remote console URL.",
        subcommands: [ConsoleURLShowCommand.self], defaultSubcommand: ConsoleURLShowCommand.self)
}

/// `cirrus console log show [--lines N] SERVER`: the raw log on stdout.
struct ConsoleLogShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a server's console log.")

    @Option(help: "Number of lines from the end of the log (default: all).")
    var lines: Int?

    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Server (name or ID).")
    var server: String

    func validate() throws {
        if let lines, lines < 0 { throw ValidationError("--lines must be zero or more.") }
    }

    /// The `os-getConsoleOutput` action body.
    var body: JSONValue {
        var o: [String: JSONValue] = [:]
        if let lines { o["length"] = .int(Int64(lines)) }
        return ["os-getConsoleOutput": .object(o)]
    }

    /// What is printed: the log, ending in a newline unless empty.
    static func text(_ response: JSONValue) -> String {
        let output = response["output"]?.stringValue ?? ""
        return output.isEmpty || output.hasSuffix("\n") ? output : output + "\n"
    }

    func run() async throws {
        let client = try await cloud.connect()
        let id = try await ResourceFinder(client: client).id(.server, server)
        let response = try await client.send("POST", .compute, "servers/\(id)/action", json: body)
        print(Self.text(response), terminator: "")
    }
}

/// `cirrus console url show [--novnc|--xvpvnc] SERVER`: Field | Value (protocol, type, url).
struct ConsoleURLShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a server's remote console URL.")

    @Flag(help: "noVNC console URL (default).")
    var novnc = false

    @Flag(help: "Same as --novnc.")
    var vnc = false

    @Flag(help: "XVP VNC console URL.")
    var xvpvnc = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Server (name or ID).")
    var server: String

    func validate() throws {
        if xvpvnc && (novnc || vnc) { throw ValidationError("--xvpvnc cannot be combined with --novnc/--vnc.") }
    }

    /// The `remote-consoles` request body.
    var body: JSONValue {
        ["remote_console": ["protocol": "vnc", "type": .string(xvpvnc ? "xvpvnc" : "novnc")]]
    }

    /// The legacy action body (`os-getVNCConsole`), what the openstack client sends below microversion 2.6.
    var legacyBody: JSONValue {
        ["os-getVNCConsole": ["type": .string(xvpvnc ? "xvpvnc" : "novnc")]]
    }

    func run() async throws {
        let client = try await cloud.connect()
        let id = try await ResourceFinder(client: client).id(.server, server)
        try output.printShow(ResourceFields.fields(try await fetch(client, serverID: id), drop: ["links", "id", "name"]))
    }

    /// `POST /servers/{id}/remote-consoles`; when the API lacks it (404/405), the `os-getVNCConsole` action.
    func fetch(_ client: APIClient, serverID id: String) async throws -> JSONValue {
        let r = try await client.raw("POST", .compute, "servers/\(id)/remote-consoles", json: body)
        var response: JSONValue
        if (200..<300).contains(r.status) {
            response = (try? JSONValue.parse(r.body)) ?? .null
        } else if [404, 405].contains(r.status) {
            response = try await client.send("POST", .compute, "servers/\(id)/action", json: legacyBody)
        } else {
            throw APIError(response: r)
        }
        guard let console = response["remote_console"] ?? response["console"] else {
            throw CLIError("The compute API answered the console request without a 'remote_console' object.")
        }
        return console
    }
}
