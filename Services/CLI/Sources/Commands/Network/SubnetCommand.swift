import ArgumentParser
import Messaging

/// `cirrus subnet create|list|show|set|delete`: Neutron subnets.
struct SubnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subnet", abstract: "Create, list, show, change and delete subnets.",
        subcommands: [
            SubnetCreateCommand.self, SubnetListCommand.self, SubnetShowCommand.self, SubnetSetCommand.self,
            SubnetDeleteCommand.self,
        ])
}

/// `cirrus subnet create --network NET --subnet-range CIDR [--gateway IP|auto|none] [--allocation-pool start=,end=]…
/// [--dns-nameserver IP]… [--dhcp|--no-dhcp] [--host-route destination=,gateway=]… NAME`.
struct SubnetCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a subnet.")

    @Option(help: "Network the subnet belongs to (name or ID).")
    var network: String

    @Option(name: .customLong("subnet-range"), help: "Subnet range in CIDR notation (e.g. 10.0.0.0/24).")
    var subnetRange: String

    @Option(help: "Gateway IP, 'auto' (Neutron picks the first address, default) or 'none'.")
    var gateway: String = "auto"

    @Option(name: .customLong("allocation-pool"), help: "start=<ip>,end=<ip> (repeatable).")
    var allocationPool: [String] = []

    @Option(name: .customLong("dns-nameserver"), help: "DNS name server (repeatable).")
    var dnsNameserver: [String] = []

    @Flag(help: "Enable DHCP (default).")
    var dhcp = false

    @Flag(name: .customLong("no-dhcp"), help: "Disable DHCP.")
    var noDHCP = false

    @Option(name: .customLong("host-route"), help: "destination=<cidr>,gateway=<ip> (repeatable).")
    var hostRoute: [String] = []

    @Option(name: .customLong("ip-version"), help: "IP version (4 or 6).")
    var ipVersion: Int = 4

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "New subnet name.")
    var name: String

    func validate() throws {
        if dhcp && noDHCP { throw ValidationError("--dhcp and --no-dhcp cannot be used together.") }
        guard [4, 6].contains(ipVersion) else { throw ValidationError("--ip-version must be 4 or 6.") }
        for p in allocationPool { _ = try AllocationPool.parse(p) }
        for r in hostRoute { _ = try HostRoute.parse(r) }
    }

    /// The `POST /subnets` body for the resolved network id.
    func body(networkID: String) throws -> JSONValue {
        var s: [String: JSONValue] = [
            "network_id": .string(networkID), "name": .string(name), "ip_version": .int(Int64(ipVersion)),
            "cidr": .string(subnetRange),
        ]
        switch GatewayChoice(gateway) {
        case .auto: break
        case .none: s["gateway_ip"] = .null
        case .address(let ip): s["gateway_ip"] = .string(ip)
        }
        if !allocationPool.isEmpty { s["allocation_pools"] = .array(try allocationPool.map(AllocationPool.parse)) }
        if !dnsNameserver.isEmpty { s["dns_nameservers"] = .array(dnsNameserver.map { .string($0) }) }
        if !hostRoute.isEmpty { s["host_routes"] = .array(try hostRoute.map(HostRoute.parse)) }
        if dhcp { s["enable_dhcp"] = true }
        if noDHCP { s["enable_dhcp"] = false }
        return ["subnet": .object(s)]
    }

    func run() async throws {
        let client = try await cloud.connect()
        let networkID = try await ResourceFinder(client: client).id(.network, network)
        let created = try await client.send("POST", .network, "subnets", json: try body(networkID: networkID))
        try output.printShow(NetworkFields.subnet(created["subnet"] ?? .null))
    }
}

/// `cirrus subnet list [--network NET] [--name N]`: ID | Name | Network | Subnet.
struct SubnetListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List subnets.")

    @Option(help: "Only subnets of this network (name or ID).")
    var network: String?

    @Option(help: "Only subnets with this name.")
    var name: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    func run() async throws {
        let client = try await cloud.connect()
        var query: [(String, String)] = []
        if let network { query.append(("network_id", try await ResourceFinder(client: client).id(.network, network))) }
        if let name { query.append(("name", name)) }
        let subnets = try await client.get(.network, "subnets", query: query)["subnets"]?.arrayValue ?? []
        try output.printList(headers: NetworkFields.subnetHeaders, rows: subnets.map(NetworkFields.subnetRow))
    }
}

/// `cirrus subnet show SUBNET`.
struct SubnetShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a subnet's details.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Subnet (name or ID).")
    var subnet: String

    func run() async throws {
        let client = try await cloud.connect()
        try output.printShow(NetworkFields.subnet(try await ResourceFinder(client: client).find(.subnet, subnet)))
    }
}

/// `cirrus subnet delete SUBNET…`.
struct SubnetDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete subnets.")

    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Subnets to delete (names or IDs).")
    var subnets: [String]

    func validate() throws {
        guard !subnets.isEmpty else { throw ValidationError("Name at least one subnet to delete.") }
    }

    func run() async throws {
        try await NetworkDelete.run(try await cloud.connect(), .subnet, subnets)
    }
}
