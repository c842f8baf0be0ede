import DHCPAgentService
import DHCPAgentTestSupport
import Foundation
import Schemas
import Testing

/// The real agent (in-process) with real namespaces, bridge, veths, dnsmasq and busybox
/// udhcpc, driven over a real broker by a fake conductor. Skipped without root, dnsmasq,
/// busybox or CIRRUS_TEST_TRANSPORT_URL.
@Suite(.serialized, .enabled(if: RealEnvironment.enabled))
struct RealDHCPTests {
    @Test func instancesGetTheirAddressRoutesAndLosePortsOnDelete() async throws {
        let rig = try RealAgentRig()
        await rig.conductor.start()
        do {
            let p1 = rig.port(1)
            rig.conductor.addPort(p1)
            try await rig.startAgent()
            #expect(await eventually(10) { await rig.servingPID() != nil }, "the first sync serves the network")
            let pid = try #require(await rig.servingPID())
            let dhcpIP = "\(rig.prefix).2"

            let dhcpNamespace = sh("ip -n qdhcp-\(rig.networkID) -4 -o addr show").output
            #expect(dhcpNamespace.contains("\(dhcpIP)/24") && dhcpNamespace.contains("169.254.169.254/32"), "port IP and metadata address")

            let vm1 = try rig.instance(p1, 1)
            #expect(vm1.dhcp(), "instance 1 gets a lease")
            #expect(vm1.addresses.contains("\(rig.prefix).11/24"))
            #expect(vm1.routes.contains("169.254.169.254 via \(dhcpIP)"), "option 121 routes metadata via the DHCP port")
            #expect(vm1.routes.contains("default via \(rig.prefix).1"), "and keeps the default route")

            // A port added later is served by the same dnsmasq (SIGHUP, no restart).
            let p2 = rig.port(2)
            try await rig.castPortCreate(p2)
            let vm2 = try rig.instance(p2, 2)
            #expect(await eventually(5) { vm2.dhcp(tries: 1) }, "instance 2 gets a lease after port_create_end")
            #expect(vm2.addresses.contains("\(rig.prefix).12/24"))
            #expect(await rig.servingPID() == pid)

            // A deleted port's MAC gets nothing any more.
            try await rig.castPortDelete(p1)
            let hostFile = "\(rig.statePath)/dhcp/\(rig.networkID)/host"
            #expect(await eventually(5) { !((try? String(contentsOfFile: hostFile, encoding: .utf8)) ?? p1.macAddress).contains(p1.macAddress) })
            #expect(!vm1.dhcp(tries: 2), "a deleted port's MAC gets no address")

            // The process monitor respawns a killed dnsmasq.
            kill(pid, SIGKILL)
            #expect(await eventually(10) { await rig.servingPID().map { $0 != pid } ?? false }, "dnsmasq respawned")
            #expect(vm2.dhcp(), "the respawned dnsmasq serves")
        } catch {
            Issue.record("unexpected error: \(error)")
        }
        await rig.cleanup()
    }

    @Test func restartsFromSQLiteWhileTheConductorIsDown() async throws {
        let rig = try RealAgentRig()
        await rig.conductor.start()
        do {
            let p1 = rig.port(1)
            rig.conductor.addPort(p1)
            try await rig.startAgent()
            #expect(await eventually(10) { await rig.servingPID() != nil })
            let oldPID = try #require(await rig.servingPID())

            // kill -9 of the agent only: the restarted agent keeps the running dnsmasq.
            await rig.killAgent()
            try await rig.startAgent()
            #expect(await rig.servingPID() == oldPID, "a running dnsmasq with the same command line is reused")

            // kill -9 of the agent, cirrus-api down, dnsmasq and the namespace gone (host reboot).
            await rig.killAgent()
            await rig.conductor.stop()
            kill(oldPID, SIGKILL)
            sh("ip netns del qdhcp-\(rig.networkID)")
            #expect(await eventually(5) { sh("ip link show \(rig.bridge) | grep -c . ; ip -o link show master \(rig.bridge)").output.contains("tap") == false })

            try await rig.startAgent()
            let pid = await rig.servingPID()
            #expect(pid != nil && pid != oldPID, "restored from SQLite before any answer from cirrus-api")
            let vm = try rig.instance(p1, 1)
            #expect(vm.dhcp(), "the instance gets its lease from the restored dnsmasq")
            #expect(vm.addresses.contains("\(rig.prefix).11/24"))
        } catch {
            Issue.record("unexpected error: \(error)")
        }
        await rig.cleanup()
    }

    /// On a network node the mapped uplink (here a veth the test creates) joins the
    /// bridge; nothing else is touched.
    @Test func mappedUplinkJoinsTheBridge() async throws {
        let rig = try RealAgentRig(physicalNetwork: "physnet-test")
        let uplink = "du\(rig.tag)"
        #expect(sh("ip link add \(uplink) type veth peer name dp\(rig.tag)").status == 0)
        rig.uplink = uplink
        await rig.conductor.start()
        do {
            try await rig.startAgent()
            #expect(await eventually(10) { await rig.servingPID() != nil })
            #expect(sh("ip -o link show \(uplink)").output.contains("master \(rig.bridge)"))
        } catch {
            Issue.record("unexpected error: \(error)")
        }
        await rig.cleanup()
        sh("ip link del \(uplink) 2>/dev/null")
    }
}
