import ArgumentParser
import Messaging

/// `cirrus compute service list|set`.
struct ComputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compute", abstract: "Compute services.", subcommands: [ComputeServiceCommand.self])
}

struct ComputeServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "List compute services, enable or disable them.",
        subcommands: [ComputeServiceListCommand.self, ComputeServiceSetCommand.self])
}

/// `cirrus compute service list`: ID | Binary | Host | Zone | Status | State | Updated At.
struct ComputeServiceListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List services and their liveness.")

    @Option(help: "Only services on this host.")
    var host: String?

    @Option(help: "Only services with this binary (cirrus-compute, …).")
    var service: String?

    @Flag(help: "Also show the disabled reason.")
    var long = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    static let headers = ["ID", "Binary", "Host", "Zone", "Status", "State", "Updated At"]

    static func row(_ s: JSONValue, long: Bool) -> [Cell] {
        (["id", "binary", "host", "zone", "status", "state", "updated_at"] + (long ? ["disabled_reason"] : []))
            .map { Cell(s[$0] ?? .null) }
    }

    func run() async throws {
        let client = try await cloud.connect()
        var query: [(String, String)] = []
        if let host { query.append(("host", host)) }
        if let service { query.append(("binary", service)) }
        let services = try await client.get(.compute, "os-services", query: query)["services"]?.arrayValue ?? []
        try output.printList(
            headers: Self.headers + (long ? ["Disabled Reason"] : []), rows: services.map { Self.row($0, long: long) })
    }
}

/// `cirrus compute service set --enable|--disable [--disable-reason R] HOST BINARY`.
struct ComputeServiceSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Enable or disable a service on a host.")

    @Flag(help: "Enable the service (the scheduler may place servers there again).")
    var enable = false

    @Flag(help: "Disable the service (the scheduler stops placing servers there).")
    var disable = false

    @Option(name: .customLong("disable-reason"), help: "Why it is disabled (with --disable).")
    var disableReason: String?

    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Host name.")
    var host: String

    @Argument(help: "Service binary, e.g. cirrus-compute.")
    var binary: String

    func validate() throws {
        if enable && disable { throw ValidationError("--enable and --disable cannot be used together.") }
        if disableReason != nil && !disable {
            throw ValidationError("Cannot specify option --disable-reason without --disable specified.")
        }
        if !enable && !disable { throw ValidationError("Pass --enable or --disable.") }
    }

    /// The legacy (microversion 2.1) `PUT /os-services/<action>` path and body.
    func request() -> (path: String, body: JSONValue) {
        var body: [String: JSONValue] = ["host": .string(host), "binary": .string(binary)]
        if enable { return ("os-services/enable", .object(body)) }
        guard let disableReason else { return ("os-services/disable", .object(body)) }
        body["disabled_reason"] = .string(disableReason)
        return ("os-services/disable-log-reason", .object(body))
    }

    func run() async throws {
        let client = try await cloud.connect()
        let (path, body) = request()
        try await client.send("PUT", .compute, path, json: body)
    }
}
