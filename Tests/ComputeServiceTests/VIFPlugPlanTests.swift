import ComputeService
import Schemas
import Testing

@Suite("VIF plug decisions")
struct VIFPlugPlanTests {
    let nic = NetworkInterfaceSpec(
        portID: "0123456789abcdef", networkID: "fedcba9876543210", networkName: "public", macAddress: "fa:16:3e:00:00:01",
        fixedIPs: ["10.0.0.5"], mtu: 1450, physicalNetwork: "public", networkType: "flat")
    let mappings = PhysicalInterfaceMappings(["public": "eth1"])

    @Test("nothing there: bridge, uplink and tap are created and joined")
    func fresh() throws {
        let plan = try VIFPlugPlan.plug(nic, mappings: mappings, bridge: nil, uplink: LinkState(name: "eth1"), tap: nil)
        #expect(plan.commands == [
            ["ip", "link", "add", "name", "brqfedcba98765", "type", "bridge"],
            ["ip", "link", "set", "dev", "brqfedcba98765", "up"],
            ["ip", "link", "set", "dev", "eth1", "master", "brqfedcba98765", "up"],
            ["ip", "tuntap", "add", "dev", "tap0123456789a", "mode", "tap"],
            ["ip", "link", "set", "dev", "tap0123456789a", "mtu", "1450", "master", "brqfedcba98765", "up"],
        ])
        #expect(plan.warnings.isEmpty)
    }

    @Test("everything plugged already: the plan is empty")
    func idempotent() throws {
        let plan = try VIFPlugPlan.plug(
            nic, mappings: mappings, bridge: LinkState(name: "brqfedcba98765", kind: "bridge"),
            uplink: LinkState(name: "eth1", master: "brqfedcba98765"),
            tap: LinkState(name: "tap0123456789a", kind: "tun", master: "brqfedcba98765", mtu: 1450))
        #expect(plan == VIFPlugPlan())
    }

    @Test("a tap that lost its bridge or went down is put back; a down bridge is set up")
    func repair() throws {
        let plan = try VIFPlugPlan.plug(
            nic, mappings: PhysicalInterfaceMappings(), bridge: LinkState(name: "brqfedcba98765", kind: "bridge", isUp: false),
            uplink: nil, tap: LinkState(name: "tap0123456789a", kind: "tun", isUp: false, mtu: 1450))
        #expect(plan.commands == [
            ["ip", "link", "set", "dev", "brqfedcba98765", "up"],
            ["ip", "link", "set", "dev", "tap0123456789a", "mtu", "1450", "master", "brqfedcba98765", "up"],
        ])
    }

    @Test("no mapping for the physical network: bridge without uplink and a warning")
    func unmapped() throws {
        let plan = try VIFPlugPlan.plug(nic, mappings: PhysicalInterfaceMappings(["other": "eth2"]), bridge: nil, uplink: nil, tap: nil)
        #expect(!plan.commands.contains { $0.contains("eth2") })
        #expect(plan.warnings.count == 1 && plan.warnings[0].contains("physical network 'public'"))
    }

    @Test("a network without a physical network gets no uplink and no warning")
    func local() throws {
        var n = nic
        n.physicalNetwork = nil
        let plan = try VIFPlugPlan.plug(n, mappings: mappings, bridge: nil, uplink: LinkState(name: "eth1"), tap: nil)
        #expect(!plan.commands.contains { $0.contains("eth1") } && plan.warnings.isEmpty)
    }

    @Test("an uplink missing or in another bridge is not touched, with a warning")
    func uplinkElsewhere() throws {
        let missing = try VIFPlugPlan.plug(nic, mappings: mappings, bridge: nil, uplink: nil, tap: nil)
        #expect(missing.warnings.first?.contains("does not exist") == true)
        let taken = try VIFPlugPlan.plug(nic, mappings: mappings, bridge: nil, uplink: LinkState(name: "eth1", master: "br0"), tap: nil)
        #expect(!taken.commands.contains { $0.contains("eth1") })
        #expect(taken.warnings.first?.contains("already in bridge br0") == true)
    }

    @Test("names taken by links of another kind are errors")
    func collisions() {
        #expect(throws: VIFPlugError.self) {
            try VIFPlugPlan.plug(nic, mappings: mappings, bridge: LinkState(name: "brqfedcba98765", kind: "veth"), uplink: nil, tap: nil)
        }
        #expect(throws: VIFPlugError.self) {
            try VIFPlugPlan.plug(
                nic, mappings: mappings, bridge: LinkState(name: "brqfedcba98765", kind: "bridge"), uplink: nil,
                tap: LinkState(name: "tap0123456789a", kind: nil))
        }
    }

    @Test("unplug deletes the tap only, and nothing when it is gone")
    func unplug() {
        #expect(VIFPlugPlan.unplug(nic, tap: LinkState(name: "tap0123456789a", kind: "tun")).commands == [
            ["ip", "link", "del", "dev", "tap0123456789a"],
        ])
        #expect(VIFPlugPlan.unplug(nic, tap: nil).commands.isEmpty)
    }

    @Test("mappings parse public:eth1 lists and reject malformed entries")
    func mappingsParse() throws {
        let m = try PhysicalInterfaceMappings(parsing: ["public:eth1", " lab : eth2 ", ""])
        #expect(m.interfaces == ["public": "eth1", "lab": "eth2"])
        #expect(m.interface(for: "public") == "eth1" && m.interface(for: nil) == nil && m.interface(for: "x") == nil)
        for bad in [["eth1"], ["public:"], [":eth1"], ["public:a-very-long-interface-name"], ["p:eth1", "p:eth2"]] {
            #expect(throws: VIFPlugError.self) { try PhysicalInterfaceMappings(parsing: bad) }
        }
    }

    @Test("ip -j -d link output is read into link states")
    func parseLink() {
        let json = """
            [{"ifindex":7,"ifname":"tap0123456789a","flags":["BROADCAST","MULTICAST","UP"],"mtu":1450,"master":"brqfedcba98765",\
            "operstate":"DOWN","linkinfo":{"info_kind":"tun","info_slave_kind":"bridge"}}]
            """
        #expect(LinkState.parse(ipJSON: json) == LinkState(name: "tap0123456789a", kind: "tun", master: "brqfedcba98765", isUp: true, mtu: 1450))
        let plain = #"[{"ifname":"eth1","flags":["BROADCAST"],"mtu":1500}]"#
        #expect(LinkState.parse(ipJSON: plain) == LinkState(name: "eth1", kind: nil, master: nil, isUp: false, mtu: 1500))
        #expect(LinkState.parse(ipJSON: "[]") == nil && LinkState.parse(ipJSON: "garbage") == nil)
    }
}
