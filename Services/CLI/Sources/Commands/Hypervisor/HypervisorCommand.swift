import ArgumentParser
import Messaging

/// `cirrus hypervisor list|show`.
struct HypervisorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hypervisor", abstract: "Compute nodes and their capacity.",
        subcommands: [HypervisorListCommand.self, HypervisorShowCommand.self])
}

/// `cirrus hypervisor list`: ID | Hypervisor Hostname | Hypervisor Type | Host IP | State.
struct HypervisorListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List hypervisors.")

    @Flag(help: "Also show vCPU and memory usage.")
    var long = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    static let headers = ["ID", "Hypervisor Hostname", "Hypervisor Type", "Host IP", "State"]
    static let longHeaders = ["vCPUs Used", "vCPUs", "Memory MB Used", "Memory MB"]

    static func row(_ h: JSONValue, long: Bool) -> [Cell] {
        (["id", "hypervisor_hostname", "hypervisor_type", "host_ip", "state"]
            + (long ? ["vcpus_used", "vcpus", "memory_mb_used", "memory_mb"] : []))
            .map { Cell(h[$0] ?? .null) }
    }

    func run() async throws {
        let client = try await cloud.connect()
        let list = try await client.get(.compute, "os-hypervisors/detail")["hypervisors"]?.arrayValue ?? []
        try output.printList(headers: Self.headers + (long ? Self.longHeaders : []), rows: list.map { Self.row($0, long: long) })
    }
}

/// `cirrus hypervisor show HYPERVISOR` (ID or host name).
struct HypervisorShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a hypervisor's details.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var cloud: CloudOptions

    @Argument(help: "Hypervisor (ID or host name).")
    var hypervisor: String

    func run() async throws {
        let client = try await cloud.connect()
        let h = try await ResourceFinder(client: client).find(.hypervisor, hypervisor)
        try output.printShow(ResourceFields.hypervisor(h))
    }
}
