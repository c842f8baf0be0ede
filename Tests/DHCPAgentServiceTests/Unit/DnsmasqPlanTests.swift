import DHCPAgentService
import Schemas
import Testing

struct DnsmasqPlanTests {
    let renderer = DnsmasqRenderer(settings: Fixture.settings())

    @Test func notRunningSpawns() throws {
        let desired = try #require(renderer.config(for: Fixture.served()))
        #expect(DnsmasqAction.decide(applied: nil, running: false, desired: desired) == .spawn(desired))
        #expect(DnsmasqAction.decide(applied: desired, running: false, desired: desired) == .spawn(desired))
    }

    @Test func unchangedDoesNothing() throws {
        let desired = try #require(renderer.config(for: Fixture.served(ports: [Fixture.port(1)])))
        #expect(DnsmasqAction.decide(applied: desired, running: true, desired: desired) == .none)
    }

    @Test func portChangesReloadAndReleaseRemovedLeases() throws {
        let old = try #require(renderer.config(for: Fixture.served(ports: [Fixture.port(1), Fixture.port(2)])))
        let new = try #require(renderer.config(for: Fixture.served(ports: [Fixture.port(2), Fixture.port(3)])))
        guard case .reload(let config, let releases) = DnsmasqAction.decide(applied: old, running: true, desired: new) else {
            Issue.record("expected a reload")
            return
        }
        #expect(config == new)
        #expect(releases.map(\.mac) == ["fa:16:3e:00:00:01"])
    }

    @Test func subnetOrDHCPPortAddressChangeRestarts() throws {
        let old = try #require(renderer.config(for: Fixture.served()))
        let wider = try #require(renderer.config(for: Fixture.served(subnets: [Fixture.subnetInfo(cidr: "10.0.0.0/23")])))
        #expect(DnsmasqAction.decide(applied: old, running: true, desired: wider) == .restart(wider))
        var moved = Fixture.served()
        moved.dhcpPort?.fixedIPs[0].ipAddress = "10.0.0.3"
        let newIP = try #require(renderer.config(for: moved))
        #expect(DnsmasqAction.decide(applied: old, running: true, desired: newIP) == .restart(newIP))
    }

    @Test func noLongerNeededStops() throws {
        let old = try #require(renderer.config(for: Fixture.served()))
        #expect(DnsmasqAction.decide(applied: old, running: true, desired: nil) == .stop)
        #expect(DnsmasqAction.decide(applied: nil, running: false, desired: nil) == .none)
    }
}
