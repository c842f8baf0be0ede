import DHCPAgentService
import Schemas
import Testing

struct DHCPAgentTests {
    @Test func fullSyncCreatesThePortAndSpawnsOnce() async throws {
        let h = try AgentHarness()
        h.control.set(Fixture.network(ports: [Fixture.port(1)]))
        await h.send(.resync(networks: nil))
        #expect(h.control.calls == ["get_active_networks_info", "create_dhcp_port"])
        #expect(h.log.count("start") == 1)
        #expect(h.log.count("ensure") == 1)
        #expect(await h.agent.dnsmasqPID(Fixture.net) != nil)
        // A resync with nothing changed writes nothing and signals nothing.
        let before = h.log.all.count
        await h.send(.resync(networks: nil))
        #expect(h.log.all.count == before)
    }

    @Test func aBurstOfPortsIsOneReload() async throws {
        let h = try AgentHarness()
        h.control.set(Fixture.network())
        await h.send(.resync(networks: nil))
        let pid = try #require(await h.agent.dnsmasqPID(Fixture.net))
        await h.agent.process((1...100).map { QueuedEvent(.portUpdate(Fixture.port($0)), requestID: "req-\($0)") })
        #expect(h.log.count("hup") == 1)
        #expect(h.log.count("start") == 1)
        #expect(await h.agent.dnsmasqPID(Fixture.net) == pid)
        let host = try #require(h.files.read("/state/dhcp/\(Fixture.net)/host"))
        #expect(host.split(separator: "\n").count == 101)
    }

    @Test func deletingAPortReleasesItsLease() async throws {
        let h = try AgentHarness()
        h.control.set(Fixture.network(ports: [Fixture.port(1), Fixture.port(2)]))
        await h.send(.resync(networks: nil))
        let p = Fixture.port(1)
        await h.send(.portDelete(PortDeleteArguments(portID: p.id, networkID: Fixture.net, macAddress: p.macAddress, fixedIPs: p.fixedIPs)))
        #expect(h.log.all.suffix(2) == ["hup 101", "release fa:16:3e:00:00:01"])
        #expect(h.files.read("/state/dhcp/\(Fixture.net)/host")?.contains(p.macAddress) == false)
    }

    @Test func subnetChangeRestarts() async throws {
        let h = try AgentHarness()
        h.control.set(Fixture.network())
        await h.send(.resync(networks: nil))
        await h.send(.subnetUpdate(Fixture.subnetInfo(cidr: "10.0.0.0/23")))
        #expect(h.log.all.contains("stop 101"))
        #expect(await h.agent.dnsmasqPID(Fixture.net) == 102)
    }

    @Test func networkDeleteStopsAndForgets() async throws {
        let h = try AgentHarness()
        h.control.set(Fixture.network())
        await h.send(.resync(networks: nil))
        await h.send(.networkDelete(networkID: Fixture.net))
        #expect(h.log.all.contains("teardown \(Fixture.net)"))
        #expect(await h.agent.dnsmasqPID(Fixture.net) == nil)
        #expect(try await h.store.all().networks.isEmpty)
        #expect(h.control.calls.last == "release_dhcp_port")
    }

    @Test func monitorRespawnsADeadDnsmasq() async throws {
        let h = try AgentHarness()
        h.control.set(Fixture.network())
        await h.send(.resync(networks: nil))
        h.processes.kill(101)
        await h.send(.checkProcesses)
        #expect(await h.agent.dnsmasqPID(Fixture.net) == 102)
    }

    @Test func monitorRespawnsWhileASyncWaitsForTheConductor() async throws {
        let h = try AgentHarness()
        h.control.set(Fixture.network())
        await h.send(.resync(networks: nil))
        h.control.syncDelay = 2
        let slowSync = Task { await h.send(.resync(networks: nil)) }
        try await Task.sleep(for: .milliseconds(100))
        h.processes.kill(101)
        await h.agent.checkProcesses()
        #expect(await h.agent.dnsmasqPID(Fixture.net) == 102, "respawned before the sync answered")
        await slowSync.value
    }

    @Test func restartRestoresFromSQLiteWhileTheConductorIsDown() async throws {
        let first = try AgentHarness()
        first.control.set(Fixture.network(ports: [Fixture.port(1)]))
        await first.send(.resync(networks: nil))
        // Same database, same running processes and files (the agent died; dnsmasq did not).
        let second = try AgentHarness(store: first.store, processes: first.processes, files: first.files)
        second.control.down = true
        try await second.agent.restore()
        #expect(await second.agent.dnsmasqPID(Fixture.net) == 101)
        #expect(first.log.count("start") == 1)
        await second.send(.resync(networks: nil))
        #expect(await second.agent.synced == false)
        #expect(await second.agent.dnsmasqPID(Fixture.net) == 101)
        // Nothing running any more (host rebooted): restore spawns from the database.
        first.processes.kill(101)
        let third = try AgentHarness(store: first.store, processes: first.processes, files: first.files)
        third.control.down = true
        try await third.agent.restore()
        #expect(await third.agent.dnsmasqPID(Fixture.net) == 102)
    }

    @Test func staleNetworksAreDisabledOnSync() async throws {
        let h = try AgentHarness()
        h.control.set(Fixture.network())
        await h.send(.resync(networks: nil))
        h.control.remove(Fixture.net)
        await h.send(.resync(networks: nil))
        #expect(await h.agent.dnsmasqPID(Fixture.net) == nil)
        #expect(await h.agent.networks.isEmpty)
    }

    @Test func adminDownOrDHCPDisabledStopsAndReleasesThePort() async throws {
        let h = try AgentHarness()
        h.control.set(Fixture.network())
        await h.send(.resync(networks: nil))
        var down = Fixture.network(revision: 2)
        down.adminStateUp = false
        await h.send(.networkUpdate(down))
        #expect(await h.agent.dnsmasqPID(Fixture.net) == nil)
        #expect(h.control.calls.last == "release_dhcp_port")
        #expect(await h.agent.networks[Fixture.net]?.dhcpPort == nil)
        // Back up: a new DHCP port, dnsmasq again.
        await h.send(.networkUpdate(Fixture.network(revision: 3)))
        #expect(await h.agent.dnsmasqPID(Fixture.net) != nil)
        var noDHCP = Fixture.subnetInfo()
        noDHCP.enableDHCP = false
        await h.send(.subnetUpdate(noDHCP))
        #expect(await h.agent.dnsmasqPID(Fixture.net) == nil)
    }

    @Test func eventsForUnknownNetworksFetchThemAndConductorOutagesAreRetried() async throws {
        let h = try AgentHarness()
        h.control.set(Fixture.network(ports: [Fixture.port(1)]))
        await h.send(.portUpdate(Fixture.port(1)))
        #expect(h.control.calls.first == "get_network_info")
        #expect(await h.agent.dnsmasqPID(Fixture.net) != nil)
        h.control.down = true
        await h.send(.resync(networks: nil))
        #expect(await h.agent.synced == false)
        #expect(await h.agent.dnsmasqPID(Fixture.net) != nil, "keeps serving while cirrus-api is away")
        // The retry comes back as a queued full resync.
        #expect(await eventually(3) { h.agent.inbox.count > 0 })
        h.control.down = false
        await h.agent.process(h.agent.inbox.drain())
        #expect(await h.agent.synced)
    }

    @Test func storeRoundTrip() async throws {
        let store = try DHCPAgentStore.inMemory()
        let served = Fixture.served(ports: [Fixture.port(1, dnsName: "vm")])
        try await store.save([served])
        #expect(try await store.all().networks == [served])
        try await store.save([], removing: [served.id])
        #expect(try await store.all().networks.isEmpty)
    }
}
