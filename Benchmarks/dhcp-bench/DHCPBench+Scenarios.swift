import DHCPAgentService
import Foundation
import Messaging
import Schemas

extension DHCPBench {
    /// port_create_end cast → host file rewritten + SIGHUP sent (agent state), and → a busybox
    /// udhcpc in a client namespace with the port's MAC holds the lease (one probe process per port).
    func portToServed(count: Int) async throws {
        let base = IPv4Network.parse("10.251.0.0")!
        let net = network(base: base, prefix: 22, ports: 0, macByte: 0xa1)
        conductor.set(net)
        let (agent, _) = try await agent("latency", serving: true)
        guard await waitServed(agent, net.id) else { throw DHCPAgentError("latency network not served") }
        let client = try ProbeClient(tag: "\(tag)l", bridge: DHCPNames.bridge(net.id))
        let probe = try DHCPProbe(namespace: client.ns, script: probeScript)
        let api = DHCPAgentRPCAPI(transport: conductorTransport)
        var toReload: [Double] = [], toOffer: [Double] = [], failures = 0
        let pid = await agent.dnsmasqPID(net.id)
        for i in 0..<count {
            let port = newPort(on: net, index: i, base: base, macByte: 0xa1)
            conductor.addPort(port)
            let expected = await agent.reservationCount(net.id) + 1
            let t0 = ContinuousClock.now
            try await api.portCreateEnd(port, context: .service("bench"))
            async let offered = probe.served(port.macAddress)
            if await waitReservations(agent, network: net.id, count: expected) { toReload.append(ms(ContinuousClock.now - t0)) }
            if await offered != nil { toOffer.append(ms(ContinuousClock.now - t0)) } else { failures += 1 }
        }
        probe.stop()
        // One full udhcpc exchange per port for a few of them (client + DHCPREQUEST/ACK included).
        var udhcpc: [Double] = []
        for i in 0..<min(20, count) {
            let mac = newPort(on: net, index: i, base: base, macByte: 0xa1).macAddress
            client.use(mac: mac)
            let t = ContinuousClock.now
            if client.lease() { udhcpc.append(ms(ContinuousClock.now - t)) }
        }
        print("port_create_end -> files + SIGHUP : \(summary(toReload))")
        print("port_create_end -> DHCPOFFER      : \(summary(toOffer)) failures=\(failures)")
        print("udhcpc full lease (known MAC)     : \(summary(udhcpc))")
        print("same dnsmasq pid throughout       : \(pid == (await agent.dnsmasqPID(net.id)))")
        client.remove()
        await stopAll(agent, ids: [net.id])
    }

    /// Full sync_state of `networks` × `portsPerNetwork` ports: cold (namespaces, veths and
    /// dnsmasq created), warm (nothing changed), warm with one changed port per network, and
    /// a restart restoring from SQLite with every dnsmasq still running.
    func fullResync(networks: Int, portsPerNetwork: Int) async throws {
        var ids: [String] = []
        for k in 0..<networks {
            let base = IPv4Network.parse("10.\(120 + k / 200).\(k % 200).0")!
            let net = network(base: base, prefix: 24, ports: portsPerNetwork, macByte: 0x10 + k % 200)
            conductor.set(net)
            ids.append(net.id)
        }
        let (agent, state) = try await agent("resync", serving: false)
        var t = ContinuousClock.now
        await agent.process([QueuedEvent(.resync(networks: nil), requestID: "req-bench-cold")])
        let cold = ms(ContinuousClock.now - t)
        var served = 0
        for id in ids where await agent.dnsmasqPID(id) != nil { served += 1 }
        t = ContinuousClock.now
        await agent.process([QueuedEvent(.resync(networks: nil), requestID: "req-bench-warm")])
        let warm = ms(ContinuousClock.now - t)
        for id in ids {
            guard var net = conductor.network(id), let i = net.ports.firstIndex(where: { $0.deviceOwner == DeviceOwner.compute }) else { continue }
            net.ports[i].dnsName = "renamed"
            net.ports[i].revisionNumber += 1
            conductor.set(net)
        }
        t = ContinuousClock.now
        await agent.process([QueuedEvent(.resync(networks: nil), requestID: "req-bench-changed")])
        let changed = ms(ContinuousClock.now - t)
        // Restart: a second agent on the same state dir restores (reusing running dnsmasq).
        var options = DHCPAgentOptions()
        options.renderer.statePath = state
        let dead = ConductorDHCPControlPlane(conductor: ConductorRPCAPI(transport: conductorTransport, timeout: 1))
        t = ContinuousClock.now
        let restarted = try await DHCPAgentRuntime.make(host: "bench-\(tag)", options: options, control: dead, logger: quietLogger("agent2"))
        let restore = ms(ContinuousClock.now - t)
        var reused = 0
        for id in ids where await restarted.dnsmasqPID(id) == (await agent.dnsmasqPID(id)) { reused += 1 }
        print("full resync, \(networks) networks x \(portsPerNetwork) ports:")
        print(String(format: "  cold (namespaces, veths, %d dnsmasq started) : %.0f ms", served, cold))
        print(String(format: "  warm, nothing changed                        : %.0f ms", warm))
        print(String(format: "  warm, one port changed per network (reloads) : %.0f ms", changed))
        print(String(format: "  restart from SQLite (%d dnsmasq reused)      : %.0f ms", reused, restore))
        t = ContinuousClock.now
        await stopAll(agent, ids: ids)
        print(String(format: "  teardown of all networks                     : %.0f ms", ms(ContinuousClock.now - t)))
    }

    /// One network with `ports` reservations: a port added → files + SIGHUP, and → a lease.
    func bigReload(ports: Int, probes: Int) async throws {
        let base = IPv4Network.parse("10.252.0.0")!
        let net = network(base: base, prefix: 18, ports: ports, macByte: 0xb2)
        conductor.set(net)
        var t = ContinuousClock.now
        let (agent, _) = try await agent("big", serving: true)
        guard await waitServed(agent, net.id) else { throw DHCPAgentError("big network not served") }
        let spawn = ms(ContinuousClock.now - t)
        guard await agent.dnsmasqPID(net.id) != nil else { throw DHCPAgentError("big network not served") }
        let client = try ProbeClient(tag: "\(tag)b", bridge: DHCPNames.bridge(net.id))
        let probe = try DHCPProbe(namespace: client.ns, script: probeScript)
        let api = DHCPAgentRPCAPI(transport: conductorTransport)
        var toReload: [Double] = [], toOffer: [Double] = [], failures = 0
        for i in 0..<probes {
            let port = newPort(on: net, index: ports + i, base: base, macByte: 0xb3)
            conductor.addPort(port)
            let expected = await agent.reservationCount(net.id) + 1
            t = ContinuousClock.now
            try await api.portCreateEnd(port, context: .service("bench"))
            async let offered = probe.served(port.macAddress)
            if await waitReservations(agent, network: net.id, count: expected) { toReload.append(ms(ContinuousClock.now - t)) }
            if await offered != nil { toOffer.append(ms(ContinuousClock.now - t)) } else { failures += 1 }
        }
        probe.stop()
        print("\(ports) host entries:")
        print(String(format: "  first sync (render, write, spawn dnsmasq)     : %.0f ms", spawn))
        print("  port_create_end -> files + SIGHUP            : \(summary(toReload))")
        print("  port_create_end -> DHCPOFFER               : \(summary(toOffer)) failures=\(failures)")
        client.remove()
        await stopAll(agent, ids: [net.id])
    }
}
