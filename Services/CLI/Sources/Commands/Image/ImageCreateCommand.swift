import ArgumentParser
import Foundation
import Messaging

/// `cirrus image create --file F --disk-format qcow2 --container-format bare [--property k=v] NAME`:
/// `POST /v2/images`, then `PUT /v2/images/<id>/file` streaming the file.
struct ImageCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an image and upload its data.")

    static let diskFormats = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"]
    static let containerFormats = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]

    @Option(help: "Image data to upload.")
    var file: String?

    @Option(name: .customLong("disk-format"), help: "Disk format: \(diskFormats.joined(separator: ", ")) (default raw).")
    var diskFormat = "raw"

    @Option(name: .customLong("container-format"), help: "Container format (default bare).")
    var containerFormat = "bare"

    @Option(help: "Image property KEY=VALUE (repeatable).")
    var property: [String] = []

    @Option(name: .customLong("min-disk"), help: "Minimum disk size in GB.")
    var minDisk: Int?

    @Option(name: .customLong("min-ram"), help: "Minimum RAM in MB.")
    var minRAM: Int?

    @Flag(help: "Visible to all projects.")
    var `public` = false

    @Flag(help: "Visible to the owner only.")
    var `private` = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Image name.")
    var name: String

    func validate() throws {
        guard Self.diskFormats.contains(diskFormat) else {
            throw ValidationError("--disk-format '\(diskFormat)' is not one of: \(Self.diskFormats.joined(separator: ", ")).")
        }
        guard Self.containerFormats.contains(containerFormat) else {
            throw ValidationError("--container-format '\(containerFormat)' is not one of: \(Self.containerFormats.joined(separator: ", ")).")
        }
        if `public` && `private` { throw ValidationError("--public and --private cannot be used together.") }
        for p in property { _ = try KeyValue.parse(p, option: "--property") }
    }

    /// The `POST /v2/images` body: core fields plus properties at top level (Glance v2).
    func createBody() throws -> JSONValue {
        var o: [String: JSONValue] = [
            "name": .string(name), "disk_format": .string(diskFormat), "container_format": .string(containerFormat),
        ]
        for p in property {
            let (k, v) = try KeyValue.parse(p, option: "--property")
            o[k] = .string(v)
        }
        if let minDisk { o["min_disk"] = .int(Int64(minDisk)) }
        if let minRAM { o["min_ram"] = .int(Int64(minRAM)) }
        if `public` { o["visibility"] = "public" }
        if `private` { o["visibility"] = "private" }
        return .object(o)
    }

    func run() async throws {
        var fileURL: URL?
        if let file {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDir), !isDir.boolValue,
                  FileManager.default.isReadableFile(atPath: file) else {
                throw CLIError("Can't open '\(file)': no such readable file.")
            }
            fileURL = URL(fileURLWithPath: file)
        }
        let client = try await cloud.connect()
        let image = try await client.send("POST", .image, "images", json: try createBody())
        guard let id = image["id"]?.idString else { throw CLIError("The image API created an image but returned no id.") }
        if let fileURL {
            do {
                try await client.send(
                    "PUT", .image, "images/\(id)/file", body: .file(fileURL), contentType: "application/octet-stream")
            } catch {
                throw CLIError("Uploading \(fileURL.path) to image \(id) failed: \(error). The image stays 'queued'; remove it with `cirrus image delete \(id)`.")
            }
        }
        try output.printShow(ResourceFields.image(try await client.get(.image, "images/\(id)")))
    }
}
