import ArgumentParser
import Messaging

/// `cirrus network create|list|show|set|delete`: Neutron networks.
struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network", abstract: "Create, list, show, change and delete networks.",
        subcommands: [
            NetworkCreateCommand.self, NetworkListCommand.self, NetworkShowCommand.self, NetworkSetCommand.self,
            NetworkDeleteCommand.self,
        ])
}

/// `cirrus network create [--provider-network-type flat] [--provider-physical-network P] [--mtu N] [--share|--no-share] NAME`.
struct NetworkCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a network.")

    @Flag(help: "Share the network with every project.")
    var share = false

    @Flag(name: .customLong("no-share"), help: "Keep the network to its project (default).")
    var noShare = false

    @Flag(help: "Enable the network (default).")
    var enable = false

    @Flag(help: "Disable the network.")
    var disable = false

    @Option(name: .customLong("provider-network-type"), help: "Physical mechanism of the network: flat.")
    var providerNetworkType: String?

    @Option(name: .customLong("provider-physical-network"), help: "Physical network it is built on (e.g. public).")
    var providerPhysicalNetwork: String?

    @Option(help: "MTU of the network.")
    var mtu: Int?

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "New network name.")
    var name: String

    func validate() throws {
        if share && noShare { throw ValidationError("--share and --no-share cannot be used together.") }
        if enable && disable { throw ValidationError("--enable and --disable cannot be used together.") }
        if let mtu, mtu < 68 { throw ValidationError("--mtu must be at least 68.") }
    }

    /// The `POST /networks` body.
    func body() -> JSONValue {
        var n: [String: JSONValue] = ["name": .string(name), "admin_state_up": .bool(!disable)]
        if share { n["shared"] = true }
        if noShare { n["shared"] = false }
        if let providerNetworkType { n["provider:network_type"] = .string(providerNetworkType) }
        if let providerPhysicalNetwork { n["provider:physical_network"] = .string(providerPhysicalNetwork) }
        if let mtu { n["mtu"] = .int(Int64(mtu)) }
        return ["network": .object(n)]
    }

    func run() async throws {
        let client = try await cloud.connect()
        let created = try await client.send("POST", .network, "networks", json: body())
        try output.printShow(NetworkFields.network(created["network"] ?? .null))
    }
}

/// `cirrus network list [--name N]`: ID | Name | Subnets.
struct NetworkListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List networks.")

    @Option(help: "Only networks with this name.")
    var name: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    func run() async throws {
        let client = try await cloud.connect()
        let query: [(String, String)] = name.map { [("name", $0)] } ?? []
        let nets = try await client.get(.network, "networks", query: query)["networks"]?.arrayValue ?? []
        try output.printList(headers: NetworkFields.networkHeaders, rows: nets.map(NetworkFields.networkRow))
    }
}

/// `cirrus network show NETWORK`.
struct NetworkShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a network's details.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Network (name or ID).")
    var network: String

    func run() async throws {
        let client = try await cloud.connect()
        try output.printShow(NetworkFields.network(try await ResourceFinder(client: client).find(.network, network)))
    }
}

/// `cirrus network delete NETWORK…`.
struct NetworkDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete networks.")

    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Networks to delete (names or IDs).")
    var networks: [String]

    func validate() throws {
        guard !networks.isEmpty else { throw ValidationError("Name at least one network to delete.") }
    }

    func run() async throws {
        let client = try await cloud.connect()
        try await NetworkDelete.run(client, .network, networks)
    }
}

/// Deletes Neutron resources by name or id, reporting each failure as openstackclient does.
enum NetworkDelete {
    static func run(_ client: APIClient, _ kind: ResourceKind, _ idents: [String]) async throws {
        let finder = ResourceFinder(client: client)
        try await Batch.run(idents, resource: kind.name, verb: "delete") { ident in
            let id = try await finder.id(kind, ident)
            try await client.send("DELETE", .network, "\(kind.path)/\(ResourceKind.segment(id))")
        }
    }
}
