import ArgumentParser
import Foundation
import Messaging

/// `cirrus server create --image I --flavor F [--key-name K] [--network N] [--nic …] [--user-data F] [--wait] NAME`.
struct ServerCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a server.")

    @Option(help: "Image to boot (name or ID).")
    var image: String

    @Option(help: "Flavor (name or ID).")
    var flavor: String

    @Option(name: .customLong("key-name"), help: "Key pair to inject.")
    var keyName: String?

    @Option(help: "Network to attach (name or ID; repeat for more).")
    var network: [String] = []

    @Option(help: "net-id=<id>[,v4-fixed-ip=<ip>|,v6-fixed-ip=<ip>] | port-id=<id> | none | auto (repeatable).")
    var nic: [String] = []

    @Option(name: .customLong("user-data"), help: "File passed to the instance as user data.")
    var userData: String?

    @Option(help: "Metadata KEY=VALUE (repeatable).")
    var property: [String] = []

    @Option(name: .customLong("availability-zone"), help: "Availability zone.")
    var availabilityZone: String?

    @Option(name: .customLong("security-group"), help: "Security group (repeatable).")
    var securityGroup: [String] = []

    @OptionGroup var waiting: WaitOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "New server name.")
    var name: String

    func validate() throws {
        for n in nic { _ = try NICSpec(parsing: n) }
        for p in property { _ = try KeyValue.parse(p, option: "--property") }
    }

    func run() async throws {
        var userDataBytes: Data?
        if let userData {
            guard let d = FileManager.default.contents(atPath: userData) else {
                throw CLIError("Can't open '\(userData)': no such readable file.")
            }
            _ = try ServerCreateRequest.encodeUserData(d, file: userData)
            userDataBytes = d
        }
        let client = try await cloud.connect()
        let finder = ResourceFinder(client: client)
        let imageID = try await finder.id(.image, image)
        let flavorID = try await finder.id(.flavor, flavor)
        var request = ServerCreateRequest(name: name, imageID: imageID, flavorID: flavorID, keyName: keyName)
        for n in network {
            request.nics.append(.network(id: try await finder.id(.network, n), fixedIP: nil))
        }
        for n in nic {
            request.nics.append(try await resolve(try NICSpec(parsing: n), finder))
        }
        request.userData = userDataBytes
        request.properties = Dictionary(try property.map { try KeyValue.parse($0, option: "--property") }) { _, b in b }
        request.availabilityZone = availabilityZone
        request.securityGroups = securityGroup
        let created = try await client.send("POST", .compute, "servers", json: try request.body())
        guard let id = created["server"]?["id"]?.idString else {
            throw CLIError("The compute API accepted the server but returned no id.")
        }
        var server: JSONValue
        if waiting.wait {
            server = try await ServerWaiter(client: client, timeout: waiting.waitTimeout)
                .wait(id: id, name: name, targets: ["ACTIVE"], action: "creating")
        } else {
            server = try await client.get(.compute, "servers/\(id)")["server"] ?? .null
        }
        if let pass = created["server"]?["adminPass"], case .object(var o) = server {
            o["adminPass"] = pass
            server = .object(o)
        }
        try output.printShow(await NameLookups.serverFields(client, server))
    }

    /// A `--nic net-id=` may name the network; without a Network API the value is used as the id.
    private func resolve(_ spec: NICSpec, _ finder: ResourceFinder) async throws -> NICSpec {
        guard case .network(let net, let ip) = spec else { return spec }
        do {
            return .network(id: try await finder.id(.network, net), fixedIP: ip)
        } catch let e as CLIError where e == .networkUnavailable {
            return spec
        }
    }
}
