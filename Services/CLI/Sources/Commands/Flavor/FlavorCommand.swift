import ArgumentParser
import Messaging

/// `cirrus flavor list|show`.
struct FlavorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flavor", abstract: "List and show flavors.", subcommands: [FlavorListCommand.self, FlavorShowCommand.self])
}

/// `cirrus flavor list`: ID | Name | RAM | Disk | Ephemeral | VCPUs | Is Public.
struct FlavorListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List flavors.")

    @Flag(help: "List public and private flavors.")
    var all = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    static let headers = ["ID", "Name", "RAM", "Disk", "Ephemeral", "VCPUs", "Is Public"]

    static func row(_ f: JSONValue) -> [Cell] {
        ["id", "name", "ram", "disk", "OS-FLV-EXT-DATA:ephemeral", "vcpus", "os-flavor-access:is_public"]
            .map { Cell(f[$0] ?? .null) }
    }

    func run() async throws {
        let client = try await cloud.connect()
        let flavors = try await client.get(.compute, "flavors/detail", query: [("is_public", all ? "None" : "True")])["flavors"]?
            .arrayValue ?? []
        try output.printList(headers: Self.headers, rows: flavors.map(Self.row))
    }
}

/// `cirrus flavor show FLAVOR`.
struct FlavorShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a flavor's details.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Flavor (name or ID).")
    var flavor: String

    func run() async throws {
        let client = try await cloud.connect()
        let f = try await ResourceFinder(client: client).find(.flavor, flavor)
        try output.printShow(ResourceFields.fields(f))
    }
}
