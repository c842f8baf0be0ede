import ComputeService
import Foundation
import Schemas
import ServiceKit
import Testing

/// Real bridges and taps (root). Names are unique per run; everything is removed, also on failure.
@Suite("Linux bridge plugging (real links, root)", .enabled(if: HostCapabilities.canPlug, "needs root, iproute2 and /dev/net/tun"))
struct LinuxBridgePluggerTests {
    let runner = ProcessRunner()

    func nic(physicalNetwork: String? = "ptest") -> NetworkInterfaceSpec {
        NetworkInterfaceSpec(
            portID: HostCapabilities.uniqueHex() + "-port", networkID: HostCapabilities.uniqueHex() + "-net", networkName: "t",
            macAddress: "fa:16:3e:00:00:09", fixedIPs: [], mtu: 1400, physicalNetwork: physicalNetwork, networkType: "flat")
    }

    func cleanUp(_ links: [String]) async {
        for l in links { _ = try? await runner.run(["ip", "link", "del", "dev", l], logger: quietLogger) }
    }

    @Test("plug makes the bridge with the mapped uplink and the tap; twice is a no-op; unplug removes only the tap")
    func plugUnplug() async throws {
        let n = nic()
        // The "physical" interface is one end of a veth pair this test creates: host interfaces are never touched.
        let uplink = "upl" + HostCapabilities.uniqueHex(8)
        try await runner.run(
            ["ip", "link", "add", "name", uplink, "type", "veth", "peer", "name", "upp" + uplink.dropFirst(3)], logger: quietLogger)
        let plugger = LinuxBridgePlugger(runner: runner, mappings: PhysicalInterfaceMappings(["ptest": uplink]))
        do {
            try await plugger.plug(n, logger: quietLogger)
            try await plugger.plug(n, logger: quietLogger)
            let tap = try #require(try await plugger.link(n.tapName, logger: quietLogger))
            #expect(tap.kind == "tun" && tap.master == n.bridgeName && tap.isUp && tap.mtu == 1400)
            #expect(try await plugger.link(n.bridgeName, logger: quietLogger)?.kind == "bridge")
            #expect(try await plugger.link(uplink, logger: quietLogger)?.master == n.bridgeName)
            try await plugger.unplug(n, logger: quietLogger)
            try await plugger.unplug(n, logger: quietLogger)
            #expect(try await plugger.link(n.tapName, logger: quietLogger) == nil)
            #expect(try await plugger.link(n.bridgeName, logger: quietLogger) != nil)
        } catch {
            await cleanUp([n.tapName, n.bridgeName, uplink])
            throw error
        }
        await cleanUp([n.tapName, n.bridgeName, uplink])
    }

    @Test("a network whose physical network has no mapping gets a bridge without uplink")
    func unmapped() async throws {
        let n = nic(physicalNetwork: "nomapping")
        let plugger = LinuxBridgePlugger(runner: runner, mappings: PhysicalInterfaceMappings())
        do {
            try await plugger.plug(n, logger: quietLogger)
            #expect(try await plugger.link(n.tapName, logger: quietLogger)?.master == n.bridgeName)
        } catch {
            await cleanUp([n.tapName, n.bridgeName])
            throw error
        }
        await cleanUp([n.tapName, n.bridgeName])
    }

    @Test("the manager plugs before spawning, reports the port ACTIVE, and unplugs and reports DOWN on delete")
    func managerPlugs() async throws {
        var instance = sampleInstance()
        let n = nic()
        instance.networks = [n]
        let h = try ManagerHarness(vifs: LinuxBridgePlugger(runner: runner, mappings: PhysicalInterfaceMappings()))
        defer { h.dir.remove() }
        do {
            try await h.manager.buildAndRunInstance(buildArgs(instance), context: testContext, logger: quietLogger)
            #expect(h.control.portStatuses == ["\(n.portID)=ACTIVE"])
            #expect(try await LinuxBridgePlugger(runner: runner, mappings: .init()).link(n.tapName, logger: quietLogger) != nil)
            try await h.manager.terminateInstance(
                InstanceActionArguments(instanceUUID: instance.uuid, actionRequestID: "req-del"), context: testContext,
                logger: quietLogger)
            #expect(h.control.portStatuses == ["\(n.portID)=ACTIVE", "\(n.portID)=DOWN"])
            #expect(try await LinuxBridgePlugger(runner: runner, mappings: .init()).link(n.tapName, logger: quietLogger) == nil)
        } catch {
            await cleanUp([n.tapName, n.bridgeName])
            throw error
        }
        await cleanUp([n.tapName, n.bridgeName])
    }
}
