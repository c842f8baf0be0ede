import DHCPAgentService
import Schemas
import Testing

struct EventCoalescerTests {
    @Test func manyPortEventsChangeTheNetworkOnce() {
        var coalescer = EventCoalescer()
        var networks = [Fixture.net: Fixture.served()]
        let events = (1...50).map { AgentEvent.portUpdate(Fixture.port($0)) }
        let out = coalescer.apply(events, to: &networks)
        #expect(out.changed == [Fixture.net])
        #expect(networks[Fixture.net]?.network.ports.count == 51)
    }

    @Test func olderRevisionsAndDeletedPortsAreStale() {
        var coalescer = EventCoalescer()
        var networks = [Fixture.net: Fixture.served(ports: [Fixture.port(1, revision: 5)])]
        let out = coalescer.apply([
            .portUpdate(Fixture.port(1, ip: "10.0.0.99", revision: 4)),
            .portDelete(PortDeleteArguments(portID: Fixture.port(2).id, networkID: Fixture.net, macAddress: "", fixedIPs: [])),
            .portUpdate(Fixture.port(2)),
        ], to: &networks)
        #expect(out.stale == 2)
        #expect(networks[Fixture.net]?.network.ports.first { $0.id == Fixture.port(1).id }?.fixedIPs[0].ipAddress == "10.0.0.11")
        #expect(networks[Fixture.net]?.network.ports.contains { $0.id == Fixture.port(2).id } == false)
    }

    @Test func unknownNetworksAreFetchedAndDeletesWin() {
        var coalescer = EventCoalescer()
        var networks = [Fixture.net: Fixture.served()]
        var other = Fixture.port(1)
        other.networkID = "other"
        let out = coalescer.apply([.portUpdate(other), .portUpdate(Fixture.port(2)), .networkDelete(networkID: Fixture.net)], to: &networks)
        #expect(out.fetch == ["other"])
        #expect(out.deleted == [Fixture.net])
        #expect(out.changed.isEmpty)
        #expect(networks.isEmpty)
    }

    @Test func subnetEventsAndDHCPPortUpdates() {
        var coalescer = EventCoalescer()
        var networks = [Fixture.net: Fixture.served()]
        var dhcp = Fixture.dhcpPort
        dhcp.revisionNumber = 2
        dhcp.fixedIPs[0].ipAddress = "10.0.0.3"
        let extra = SubnetInfo(id: "s2", networkID: Fixture.net, cidr: "10.1.0.0/24")
        _ = coalescer.apply([.subnetUpdate(extra), .portUpdate(dhcp)], to: &networks)
        #expect(networks[Fixture.net]?.network.subnets.count == 2)
        #expect(networks[Fixture.net]?.dhcpPort?.fixedIPs[0].ipAddress == "10.0.0.3")
        _ = coalescer.apply([.subnetDelete(subnetID: "s2", networkID: Fixture.net)], to: &networks)
        #expect(networks[Fixture.net]?.network.subnets.count == 1)
    }
}
