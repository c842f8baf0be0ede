import ArgumentParser
import Messaging

/// `cirrus server delete [--wait] SERVER…`.
struct ServerDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete servers.")

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Servers to delete (names or IDs).")
    var servers: [String]

    func validate() throws {
        guard !servers.isEmpty else { throw ValidationError("Name at least one server to delete.") }
    }

    func run() async throws {
        let client = try await cloud.connect()
        let finder = ResourceFinder(client: client)
        try await Batch.run(servers, resource: "server", verb: "delete") { ident in
            let server = try await finder.find(.server, ident)
            guard let id = server["id"]?.idString else { throw CLIError("The server '\(ident)' has no id.") }
            try await client.send("DELETE", .compute, "servers/\(id)")
            if waiting.wait {
                try await ServerWaiter(client: client, timeout: waiting.waitTimeout)
                    .waitDeleted(id: id, name: server["name"]?.stringValue ?? ident)
            }
        }
    }
}

/// What a power action sends and waits for.
struct PowerAction {
    var verb: String
    var action: String
    var body: JSONValue
    var targets: Set<String>

    /// Resolves each server, posts the action, and waits when asked.
    func run(_ servers: [String], waiting: WaitOptions, cloud: CloudOptions) async throws {
        let client = try await cloud.connect()
        let finder = ResourceFinder(client: client)
        try await Batch.run(servers, resource: "server", verb: verb) { ident in
            let server = try await finder.find(.server, ident)
            guard let id = server["id"]?.idString else { throw CLIError("The server '\(ident)' has no id.") }
            try await client.send("POST", .compute, "servers/\(id)/action", json: body)
            if waiting.wait {
                _ = try await ServerWaiter(client: client, timeout: waiting.waitTimeout)
                    .wait(id: id, name: server["name"]?.stringValue ?? ident, targets: targets, action: action)
            }
        }
    }
}

/// `cirrus server stop [--wait] SERVER…` (`os-stop`).
struct ServerStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop (power off) servers.")

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var cloud: CloudOptions
    @Argument(help: "Servers (names or IDs).")
    var servers: [String]

    func run() async throws {
        try await PowerAction(verb: "stop", action: "stopping", body: ["os-stop": nil], targets: ["SHUTOFF"])
            .run(servers, waiting: waiting, cloud: cloud)
    }
}

/// `cirrus server start [--wait] SERVER…` (`os-start`).
struct ServerStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start (power on) servers.")

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var cloud: CloudOptions
    @Argument(help: "Servers (names or IDs).")
    var servers: [String]

    func run() async throws {
        try await PowerAction(verb: "start", action: "starting", body: ["os-start": nil], targets: ["ACTIVE"])
            .run(servers, waiting: waiting, cloud: cloud)
    }
}

/// `cirrus server reboot [--hard] [--wait] SERVER…`.
struct ServerRebootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reboot", abstract: "Reboot servers (soft unless --hard).")

    @Flag(help: "Hard reboot (reset the machine).")
    var hard = false

    @Flag(help: "Soft reboot (ask the guest to restart; the default).")
    var soft = false

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var cloud: CloudOptions
    @Argument(help: "Servers (names or IDs).")
    var servers: [String]

    func validate() throws {
        if hard && soft { throw ValidationError("--hard and --soft cannot be used together.") }
    }

    func run() async throws {
        let body: JSONValue = ["reboot": ["type": .string(hard ? "HARD" : "SOFT")]]
        try await PowerAction(verb: "reboot", action: "rebooting", body: body, targets: ["ACTIVE"])
            .run(servers, waiting: waiting, cloud: cloud)
    }
}
