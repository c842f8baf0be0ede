import DHCPAgentService
import DHCPAgentTestSupport
import Foundation
import Logging
import Messaging
import Schemas
import ServiceKit

/// The three measurements of issue 4 item 7, each on its own agent, networks and state dir.
final class DHCPBench: @unchecked Sendable {
    let tag = randomHex(5)
    let exchange: String
    let url: String
    let conductorTransport: MessagingTransport
    let conductor: FakeConductor
    var cleanups: [() async -> Void] = []
    /// Stops the RPC server and loop of the scenario's agent.
    var stopServing: (() async -> Void)?
    /// `dhcp_probe.py` (`--probe`).
    var probeScript = DHCPProbe.defaultScript

    init(url: String) throws {
        self.url = url
        exchange = "dhcpbench_\(tag)"
        conductorTransport = try transport(url, name: "conductor", exchange: exchange)
        conductor = FakeConductor(transport: conductorTransport, logger: quietLogger("conductor"))
    }

    /// A network with one /`prefix` subnet and `ports` instance ports from `.10` upwards.
    func network(base: UInt32, prefix: Int, ports: Int, macByte: Int) -> NetworkInfo {
        let id = UUID().uuidString.lowercased(), subnet = UUID().uuidString.lowercased()
        func ip(_ n: UInt32) -> String { "\((base + n) >> 24).\(((base + n) >> 16) & 255).\(((base + n) >> 8) & 255).\((base + n) & 255)" }
        let cidr = "\(ip(0))/\(prefix)"
        let list = (0..<ports).map { i in
            PortInfo(
                id: UUID().uuidString.lowercased(), networkID: id,
                macAddress: String(format: "fa:16:3e:%02x:%02x:%02x", macByte, (i >> 8) & 255, i & 255),
                fixedIPs: [FixedIP(subnetID: subnet, ipAddress: ip(UInt32(10 + i)))], deviceOwner: DeviceOwner.compute, revisionNumber: 1)
        }
        return NetworkInfo(
            id: id, name: "bench", subnets: [SubnetInfo(id: subnet, networkID: id, cidr: cidr, gatewayIP: ip(1))], ports: list,
            revisionNumber: 1)
    }

    func newPort(on net: NetworkInfo, index i: Int, base: UInt32, macByte: Int) -> PortInfo {
        let n = base + UInt32(10 + i)
        return PortInfo(
            id: UUID().uuidString.lowercased(), networkID: net.id,
            macAddress: String(format: "fa:16:3e:%02x:%02x:%02x", macByte, (i >> 8) & 255, i & 255),
            fixedIPs: [FixedIP(subnetID: net.subnets[0].id, ipAddress: "\(n >> 24).\((n >> 16) & 255).\((n >> 8) & 255).\(n & 255)")],
            deviceOwner: DeviceOwner.compute, revisionNumber: 1)
    }

    /// A real agent with its own state dir; `serving` adds its RPC server and loop.
    func agent(_ name: String, serving: Bool) async throws -> (DHCPAgent, String) {
        let state = NSTemporaryDirectory() + "cirrus-dhcp-bench-\(tag)-\(name)"
        var options = DHCPAgentOptions()
        options.renderer.statePath = state
        let t = try transport(url, name: "agent-\(name)", exchange: exchange)
        let control = ConductorDHCPControlPlane(conductor: ConductorRPCAPI(transport: t, timeout: 30), syncTimeout: 30)
        let agent = try await DHCPAgentRuntime.make(host: "bench-\(tag)", options: options, control: control, logger: quietLogger("agent"))
        var tasks: [Task<Void, Never>] = []
        var server: RPCServer?
        if serving {
            let s = RPCServer(
                transport: t, topic: DHCPAgentAPI.topic, host: "bench-\(tag)", endpoints: [DHCPAgentEndpoint.make(inbox: agent.inbox)],
                logger: quietLogger("rpc"))
            server = s
            let (ready, cont) = AsyncStream.makeStream(of: Void.self)
            tasks.append(Task { try? await s.run { cont.yield(); cont.finish() } })
            for await _ in ready { break }
            tasks.append(Task { await agent.run() })
        } else {
            _ = agent.inbox.drain()
        }
        stopServing = {
            for t in tasks { t.cancel() }
            await server?.stop()
        }
        cleanups.append { await t.shutdown() }
        return (agent, state)
    }

    /// Stops the agent's loop, then every network of it through the agent itself (conductor
    /// forgets them, full sync): namespaces, links, dnsmasq and files go.
    func stopAll(_ agent: DHCPAgent, ids: [String]) async {
        await stopServing?()
        stopServing = nil
        for id in ids { conductor.remove(id) }
        await agent.process([QueuedEvent(.resync(networks: nil), requestID: "req-bench-cleanup")])
    }

    /// Waits until the agent's dnsmasq holds `count` reservations (files written, SIGHUP sent).
    func waitReservations(_ agent: DHCPAgent, network: String, count: Int) async -> Bool {
        for _ in 0..<20000 {
            if await agent.reservationCount(network) >= count { return true }
            try? await Task.sleep(for: .microseconds(200))
        }
        return false
    }

    func waitServed(_ agent: DHCPAgent, _ id: String) async -> Bool {
        for _ in 0..<3000 {
            if await agent.dnsmasqPID(id) != nil { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func cleanup() async {
        for c in cleanups.reversed() { await c() }
        await conductor.stop()
        await conductorTransport.shutdown()
    }
}
