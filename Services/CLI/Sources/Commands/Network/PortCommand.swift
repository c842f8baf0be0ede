import ArgumentParser
import Messaging

/// `cirrus port create|list|show|delete`: Neutron ports.
struct PortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "port", abstract: "Create, list, show and delete ports.",
        subcommands: [PortCreateCommand.self, PortListCommand.self, PortShowCommand.self, PortDeleteCommand.self])
}

/// `cirrus port list [--network NET] [--server SERVER] [--device-owner X] [--mac-address M] [--fixed-ip …]`.
struct PortListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List ports.")

    @Option(help: "Only ports on this network (name or ID).")
    var network: String?

    @Option(help: "Only ports of this server (name or ID).")
    var server: String?

    @Option(name: .customLong("device-owner"), help: "Only ports with this device owner (compute:nova, network:dhcp, …).")
    var deviceOwner: String?

    @Option(name: .customLong("mac-address"), help: "Only the port with this MAC address.")
    var macAddress: String?

    @Option(name: .customLong("fixed-ip"), help: "Only ports with this address: ip-address=<ip>[,subnet=<subnet>].")
    var fixedIP: String?

    @Option(help: "Only ports with this name.")
    var name: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    func validate() throws {
        if let fixedIP { _ = try FixedIPSpec(parsing: fixedIP) }
    }

    func run() async throws {
        let client = try await cloud.connect()
        let ports = try await client.get(.network, "ports", query: try await query(ResourceFinder(client: client)))["ports"]?
            .arrayValue ?? []
        try output.printList(headers: NetworkFields.portHeaders, rows: ports.map(NetworkFields.portRow))
    }

    /// The list filters, with network, server and subnet names resolved to ids.
    func query(_ finder: ResourceFinder) async throws -> [(String, String)] {
        var query: [(String, String)] = []
        if let network { query.append(("network_id", try await finder.id(.network, network))) }
        if let server { query.append(("device_id", try await finder.id(.server, server))) }
        if let deviceOwner { query.append(("device_owner", deviceOwner)) }
        if let macAddress { query.append(("mac_address", macAddress)) }
        if let name { query.append(("name", name)) }
        if let fixedIP {
            let spec = try FixedIPSpec(parsing: fixedIP)
            if let ip = spec.ipAddress { query.append(("fixed_ips", "ip_address=\(ip)")) }
            if let subnet = spec.subnet { query.append(("fixed_ips", "subnet_id=\(try await finder.id(.subnet, subnet))")) }
        }
        return query
    }
}

/// `cirrus port show PORT`.
struct PortShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a port's details.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Port (name or ID).")
    var port: String

    func run() async throws {
        let client = try await cloud.connect()
        try output.printShow(NetworkFields.port(try await ResourceFinder(client: client).find(.port, port)))
    }
}

/// `cirrus port create --network NET [--fixed-ip subnet=…,ip-address=…]… [--mac-address M] [--device-owner X] NAME`.
struct PortCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a port.")

    @Option(help: "Network of the port (name or ID).")
    var network: String

    @Option(name: .customLong("fixed-ip"), help: "subnet=<subnet>,ip-address=<ip> (either or both; repeatable).")
    var fixedIP: [String] = []

    @Option(name: .customLong("mac-address"), help: "MAC address of the port.")
    var macAddress: String?

    @Option(name: .customLong("device-owner"), help: "Device owner (e.g. compute:nova).")
    var deviceOwner: String?

    @Option(help: "Device id of the port.")
    var device: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "New port name.")
    var name: String

    func validate() throws {
        for f in fixedIP { _ = try FixedIPSpec(parsing: f) }
    }

    /// The `POST /ports` body, given the resolved network and `fixed_ips` entries.
    func body(networkID: String, fixedIPs: [JSONValue]) -> JSONValue {
        var p: [String: JSONValue] = ["network_id": .string(networkID), "name": .string(name), "admin_state_up": true]
        if !fixedIPs.isEmpty { p["fixed_ips"] = .array(fixedIPs) }
        if let macAddress { p["mac_address"] = .string(macAddress) }
        if let deviceOwner { p["device_owner"] = .string(deviceOwner) }
        if let device { p["device_id"] = .string(device) }
        return ["port": .object(p)]
    }

    func run() async throws {
        let client = try await cloud.connect()
        let finder = ResourceFinder(client: client)
        let networkID = try await finder.id(.network, network)
        var entries: [JSONValue] = []
        for f in fixedIP {
            let spec = try FixedIPSpec(parsing: f)
            var subnetID: String?
            if let subnet = spec.subnet { subnetID = try await finder.id(.subnet, subnet) }
            entries.append(spec.body(subnetID: subnetID))
        }
        let created = try await client.send("POST", .network, "ports", json: body(networkID: networkID, fixedIPs: entries))
        try output.printShow(NetworkFields.port(created["port"] ?? .null))
    }
}

/// `cirrus port delete PORT…`.
struct PortDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete ports.")

    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Ports to delete (names or IDs).")
    var ports: [String]

    func validate() throws {
        guard !ports.isEmpty else { throw ValidationError("Name at least one port to delete.") }
    }

    func run() async throws {
        try await NetworkDelete.run(try await cloud.connect(), .port, ports)
    }
}
