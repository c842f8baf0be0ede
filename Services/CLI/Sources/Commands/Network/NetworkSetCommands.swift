import ArgumentParser
import Messaging

/// `cirrus network set [--name N] [--mtu N] [--share|--no-share] [--enable|--disable] NETWORK` (PUT; prints nothing).
struct NetworkSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a network.")

    @Option(help: "New name.")
    var name: String?

    @Option(help: "New MTU.")
    var mtu: Int?

    @Flag(help: "Share the network with every project.")
    var share = false

    @Flag(name: .customLong("no-share"), help: "Keep the network to its project.")
    var noShare = false

    @Flag(help: "Enable the network.")
    var enable = false

    @Flag(help: "Disable the network.")
    var disable = false

    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Network (name or ID).")
    var network: String

    func validate() throws {
        if share && noShare { throw ValidationError("--share and --no-share cannot be used together.") }
        if enable && disable { throw ValidationError("--enable and --disable cannot be used together.") }
        if let mtu, mtu < 68 { throw ValidationError("--mtu must be at least 68.") }
    }

    /// The `PUT /networks/{id}` body; nil when nothing is to change.
    func body() -> JSONValue? {
        var n: [String: JSONValue] = [:]
        if let name { n["name"] = .string(name) }
        if let mtu { n["mtu"] = .int(Int64(mtu)) }
        if share || noShare { n["shared"] = .bool(share) }
        if enable || disable { n["admin_state_up"] = .bool(enable) }
        return n.isEmpty ? nil : ["network": .object(n)]
    }

    func run() async throws {
        guard let body = body() else { return }
        let client = try await cloud.connect()
        let id = try await ResourceFinder(client: client).id(.network, network)
        try await client.send("PUT", .network, "networks/\(ResourceKind.segment(id))", json: body)
    }
}

/// `cirrus subnet set [--name N] [--gateway IP|none] [--dns-nameserver IP]… [--no-dns-nameservers]
/// [--allocation-pool …]… [--no-allocation-pool] [--host-route …]… [--no-host-route] [--dhcp|--no-dhcp] SUBNET`:
/// as openstackclient does, new name servers, pools and routes are added to the subnet's own unless
/// the matching `--no-…` flag clears them first.
struct SubnetSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a subnet.")

    @Option(help: "New name.")
    var name: String?

    @Option(help: "Gateway IP or 'none'.")
    var gateway: String?

    @Option(name: .customLong("dns-nameserver"), help: "DNS name server to add (repeatable).")
    var dnsNameserver: [String] = []

    @Flag(name: .customLong("no-dns-nameservers"), help: "Remove the existing name servers first.")
    var noDNSNameservers = false

    @Option(name: .customLong("allocation-pool"), help: "start=<ip>,end=<ip> to add (repeatable).")
    var allocationPool: [String] = []

    @Flag(name: .customLong("no-allocation-pool"), help: "Remove the existing allocation pools first.")
    var noAllocationPool = false

    @Option(name: .customLong("host-route"), help: "destination=<cidr>,gateway=<ip> to add (repeatable).")
    var hostRoute: [String] = []

    @Flag(name: .customLong("no-host-route"), help: "Remove the existing host routes first.")
    var noHostRoute = false

    @Flag(help: "Enable DHCP.")
    var dhcp = false

    @Flag(name: .customLong("no-dhcp"), help: "Disable DHCP.")
    var noDHCP = false

    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Subnet (name or ID).")
    var subnet: String

    func validate() throws {
        if dhcp && noDHCP { throw ValidationError("--dhcp and --no-dhcp cannot be used together.") }
        if gateway?.lowercased() == "auto" { throw ValidationError("--gateway takes an IP address or 'none' here.") }
        for p in allocationPool { _ = try AllocationPool.parse(p) }
        for r in hostRoute { _ = try HostRoute.parse(r) }
    }

    /// The `PUT /subnets/{id}` body given the subnet as it is; nil when nothing is to change.
    func body(current: JSONValue) throws -> JSONValue? {
        var s: [String: JSONValue] = [:]
        if let name { s["name"] = .string(name) }
        if let gateway { s["gateway_ip"] = GatewayChoice(gateway) == .none ? .null : .string(gateway) }
        func merged(_ key: String, clear: Bool, _ added: [JSONValue]) {
            guard clear || !added.isEmpty else { return }
            let kept = clear ? [] : (current[key]?.arrayValue ?? [])
            s[key] = .array(kept + added.filter { !kept.contains($0) })
        }
        merged("dns_nameservers", clear: noDNSNameservers, dnsNameserver.map { .string($0) })
        merged("allocation_pools", clear: noAllocationPool, try allocationPool.map(AllocationPool.parse))
        merged("host_routes", clear: noHostRoute, try hostRoute.map(HostRoute.parse))
        if dhcp || noDHCP { s["enable_dhcp"] = .bool(dhcp) }
        return s.isEmpty ? nil : ["subnet": .object(s)]
    }

    func run() async throws {
        let client = try await cloud.connect()
        let current = try await ResourceFinder(client: client).find(.subnet, subnet)
        guard let body = try body(current: current) else { return }
        guard let id = current["id"]?.idString else { throw CLIError("The subnet '\(subnet)' came back without an id.") }
        try await client.send("PUT", .network, "subnets/\(ResourceKind.segment(id))", json: body)
    }
}
