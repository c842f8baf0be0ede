import ArgumentParser
import Messaging

/// `cirrus image …`: Glance-style images.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "Upload, list, show and delete images.",
        subcommands: [ImageCreateCommand.self, ImageListCommand.self, ImageShowCommand.self, ImageDeleteCommand.self])
}

/// `cirrus image list`: ID | Name | Status (following Glance's `next` links).
struct ImageListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List images.")

    @Option(help: "Only images with this name.")
    var name: String?

    @Option(help: "Only images in this status (active, queued, …).")
    var status: String?

    @Flag(help: "Also show disk format, container format, size, checksum, visibility.")
    var long = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    static let headers = ["ID", "Name", "Status"]
    static let longHeaders = ["Disk Format", "Container Format", "Size", "Checksum", "Visibility"]

    func run() async throws {
        let client = try await cloud.connect()
        var query: [(String, String)] = []
        if let name { query.append(("name", name)) }
        if let status { query.append(("status", status)) }
        var images = [JSONValue]()
        var page = try await client.get(.image, "images", query: query)
        for _ in 0..<1000 {
            images += page["images"]?.arrayValue ?? []
            guard let next = page["next"]?.stringValue, next.hasPrefix("/v2/") else { break }
            page = try await client.get(.image, String(next.dropFirst(3)))
        }
        let keys = ["id", "name", "status"] + (long ? ["disk_format", "container_format", "size", "checksum", "visibility"] : [])
        try output.printList(
            headers: Self.headers + (long ? Self.longHeaders : []),
            rows: images.map { i in keys.map { Cell(i[$0] ?? .null) } })
    }
}

/// `cirrus image show IMAGE`.
struct ImageShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an image's details.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Image (name or ID).")
    var image: String

    func run() async throws {
        let client = try await cloud.connect()
        try output.printShow(ResourceFields.image(try await ResourceFinder(client: client).find(.image, image)))
    }
}

/// `cirrus image delete IMAGE…`.
struct ImageDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete images.")

    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Images to delete (names or IDs).")
    var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("Name at least one image to delete.") }
    }

    func run() async throws {
        let client = try await cloud.connect()
        let finder = ResourceFinder(client: client)
        try await Batch.run(images, resource: "image", verb: "delete") { ident in
            let id = try await finder.id(.image, ident)
            try await client.send("DELETE", .image, "images/\(id)")
        }
    }
}
