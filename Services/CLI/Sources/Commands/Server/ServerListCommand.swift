import ArgumentParser
import Messaging

/// `cirrus server list`: ID | Name | Status | Networks | Image | Flavor.
struct ServerListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List servers.")

    @Option(help: "Only servers whose name matches.")
    var name: String?

    @Option(help: "Only servers in this status (ACTIVE, BUILD, ERROR, SHUTOFF, …).")
    var status: String?

    @Flag(help: "Also show task state, power state, availability zone and host.")
    var long = false

    @Flag(name: .customLong("no-name-lookup"), help: "Show image and flavor ids instead of names.")
    var noNameLookup = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    func run() async throws {
        let client = try await cloud.connect()
        var query: [(String, String)] = [("deleted", "False")]
        if let name { query.append(("name", name)) }
        if let status { query.append(("status", status.uppercased())) }
        let servers = try await client.get(.compute, "servers/detail", query: query)["servers"]?.arrayValue ?? []
        var images: [String: String] = [:]
        var flavors: [String: String] = [:]
        if !noNameLookup && !servers.isEmpty {
            images = await NameLookups.images(client)
            flavors = await NameLookups.flavors(client)
        }
        try output.printList(
            headers: ServerFields.listHeaders + (long ? ServerFields.longHeaders : []),
            rows: servers.map { ServerFields.listRow($0, images: images, flavors: flavors, long: long) })
    }
}

/// `cirrus server show SERVER`.
struct ServerShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a server's details.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Server (name or ID).")
    var server: String

    func run() async throws {
        let client = try await cloud.connect()
        let found = try await ResourceFinder(client: client).find(.server, server)
        try output.printShow(await NameLookups.serverFields(client, found))
    }
}
