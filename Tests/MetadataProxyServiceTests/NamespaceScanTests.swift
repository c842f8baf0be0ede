@testable import MetadataProxyService
import Testing

struct NamespaceScanTests {
    @Test func startsNewQdhcpNamespacesAndStopsGoneOnes() {
        let plan = NamespaceScan(present: ["qdhcp-a", "qdhcp-b", "qrouter-x", "qdhcp-"], serving: ["qdhcp-b", "qdhcp-c"])
        #expect(plan.start == ["qdhcp-a"])
        #expect(plan.stop == ["qdhcp-c"])
        #expect(NamespaceScan.networkID("qdhcp-net1") == "net1")
        #expect(NamespaceScan.networkID("qrouter-net1") == nil)
    }

    @Test func aRecreatedNamespaceIsRestarted() {
        let plan = NamespaceScan(present: ["qdhcp-a": 7, "qdhcp-b": 9], serving: ["qdhcp-a": 7, "qdhcp-b": 8])
        #expect(plan.start == ["qdhcp-b"])
        #expect(plan.stop == ["qdhcp-b"])
    }
}
