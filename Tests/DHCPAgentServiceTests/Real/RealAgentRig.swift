import DHCPAgentService
import DHCPAgentTestSupport
import Foundation
import Logging
import Messaging
import Schemas
import ServiceKit

/// One real-component run: a private control exchange, a fake conductor, the real agent
/// (in-process, real `ip`/dnsmasq), a network with a DHCP subnet, and everything it made,
/// removed by ``cleanup()``.
final class RealAgentRig: @unchecked Sendable {
    let tag = randomHex(6)
    let networkID = UUID().uuidString.lowercased()
    let subnetID = UUID().uuidString.lowercased()
    let prefix: String
    let statePath: String
    let host: String
    let conductorTransport: MessagingTransport
    let conductor: FakeConductor
    private(set) var agentTransport: MessagingTransport?
    private(set) var agent: DHCPAgent?
    private var agentServer: RPCServer?
    private var tasks: [Task<Void, Never>] = []
    private var instances: [InstanceNamespace] = []
    private var seenPIDs: Set<Int32> = []
    let exchange: String

    /// `[linux_bridge] physical_interface_mappings` entry for `physicalNetwork`, if any.
    var uplink: String?
    let physicalNetwork: String?

    init(physicalNetwork: String? = nil) throws {
        self.physicalNetwork = physicalNetwork
        exchange = "dhcptest_\(tag)"
        statePath = NSTemporaryDirectory() + "cirrus-dhcp-\(tag)"
        host = "dhcp-test-agent"
        prefix = "10.\(200 + Int.random(in: 0..<50)).\(Int.random(in: 0..<250))"
        conductorTransport = try RealEnvironment.transport("conductor-\(tag)", exchange: exchange)
        conductor = FakeConductor(transport: conductorTransport, logger: RealEnvironment.quietLogger("conductor"))
        conductor.set(NetworkInfo(
            id: networkID, name: "net-\(tag)", physicalNetwork: physicalNetwork,
            subnets: [SubnetInfo(id: subnetID, networkID: networkID, cidr: "\(prefix).0/24", gatewayIP: "\(prefix).1")],
            revisionNumber: 1))
    }

    var bridge: String { DHCPNames.bridge(networkID) }

    func port(_ n: Int) -> PortInfo {
        PortInfo(
            id: UUID().uuidString.lowercased(), networkID: networkID, macAddress: "fa:16:3e:\(tag.prefix(2)):\(tag.dropFirst(2).prefix(2)):\(String(format: "%02x", n))",
            fixedIPs: [FixedIP(subnetID: subnetID, ipAddress: "\(prefix).\(10 + n)")], deviceID: UUID().uuidString.lowercased(),
            deviceOwner: DeviceOwner.compute, revisionNumber: 1)
    }

    /// Starts the agent (restore, then its loop, RPC server and a fast process monitor).
    func startAgent() async throws {
        var options = DHCPAgentOptions()
        options.renderer.statePath = statePath
        options.checkChildProcessesInterval = 0.3
        options.resyncThrottle = 0.5
        if let uplink, let physicalNetwork { options.renderer.physicalInterfaces = [physicalNetwork: uplink] }
        let transport = try RealEnvironment.transport("agent-\(tag)", exchange: exchange)
        agentTransport = transport
        let control = ConductorDHCPControlPlane(conductor: ConductorRPCAPI(transport: transport, timeout: 3), syncTimeout: 3)
        let agent = try await DHCPAgentRuntime.make(
            host: host, options: options, control: control, logger: RealEnvironment.quietLogger("agent"))
        self.agent = agent
        let server = RPCServer(
            transport: transport, topic: DHCPAgentAPI.topic, host: host, endpoints: [DHCPAgentEndpoint.make(inbox: agent.inbox)],
            logger: RealEnvironment.quietLogger("agent-rpc"))
        agentServer = server
        let (ready, cont) = AsyncStream.makeStream(of: Void.self)
        tasks.append(Task { try? await server.run { cont.yield(); cont.finish() } })
        for await _ in ready { break }
        tasks.append(Task { await agent.run() })
        tasks.append(Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(300))
                await agent.checkProcesses()
            }
        })
    }

    /// Drops the agent without any cleanup (what kill -9 leaves: dnsmasq, namespace, files).
    func killAgent() async {
        if let pid = await agent?.dnsmasqPID(networkID) { seenPIDs.insert(pid) }
        for t in tasks { t.cancel() }
        await agentServer?.stop()
        tasks = []
        agent = nil
        agentServer = nil
        await agentTransport?.shutdown()
        agentTransport = nil
    }

    func servingPID() async -> Int32? {
        guard let pid = await agent?.dnsmasqPID(networkID) else { return nil }
        seenPIDs.insert(pid)
        return pid
    }

    func castPortCreate(_ port: PortInfo) async throws {
        conductor.addPort(port)
        try await DHCPAgentRPCAPI(transport: conductorTransport).portCreateEnd(port, context: .service("test"))
    }

    func castPortDelete(_ port: PortInfo) async throws {
        conductor.removePort(port)
        try await DHCPAgentRPCAPI(transport: conductorTransport).portDeleteEnd(port, context: .service("test"))
    }

    func instance(_ port: PortInfo, _ n: Int) throws -> InstanceNamespace {
        let i = try InstanceNamespace.create(tag: "\(tag)\(n)", mac: port.macAddress, bridge: bridge, dir: statePath)
        instances.append(i)
        return i
    }

    /// Removes every process, namespace, link and file of this run.
    func cleanup() async {
        await killAgent()
        await conductor.stop()
        for i in instances { i.remove() }
        if let pid = try? String(contentsOfFile: "\(statePath)/dhcp/\(networkID)/pid", encoding: .utf8) {
            if let p = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)) { seenPIDs.insert(p) }
        }
        for pid in seenPIDs {
            // Only our dnsmasq: its command line names this run's state directory.
            if let cmd = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8), cmd.contains(statePath) { kill(pid, SIGKILL) }
        }
        sh("ip netns del qdhcp-\(networkID) 2>/dev/null")
        for i in instances { sh("ip link del vi\(i.name.dropFirst(2)) 2>/dev/null") }
        if let port = conductor.network(networkID)?.ports.first(where: { $0.deviceOwner == DeviceOwner.dhcp }) {
            sh("ip link del \(DHCPNames.tap(port.id)) 2>/dev/null")
        }
        sh("ip link del \(bridge) 2>/dev/null")
        try? FileManager.default.removeItem(atPath: statePath)
        await conductorTransport.shutdown()
    }
}
