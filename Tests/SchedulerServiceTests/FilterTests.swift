import SchedulerService
import Schemas
import Testing

@Suite struct FilterTests {
    @Test func computeFilterNeedsRecentReportEnabledAndNotForcedDown() {
        let filter = ComputeFilter(serviceDownTime: 60)
        var host = Fixture.host(Fixture.report("a"))
        let request = Fixture.request()
        #expect(filter.passes(host: host, spec: request))
        #expect(!filter.passes(host: host, spec: Fixture.request(at: Fixture.now + 61)))
        #expect(filter.passes(host: host, spec: Fixture.request(at: Fixture.now + 60)))
        host.disabled = true
        #expect(!filter.passes(host: host, spec: request))
        host.disabled = false
        host.forcedDown = true
        #expect(!filter.passes(host: host, spec: request))
        #expect(!filter.passes(host: HostState(host: "never", nodename: "never"), spec: request))
    }

    @Test func ramFilterAppliesAllocationRatioAndCountsClaims() {
        let filter = RAMFilter(allocationRatio: 1.5)
        // 4096 × 1.5 = 6144 usable; 5632 used leaves 512.
        var host = Fixture.host(Fixture.report("a", memoryMB: 4096, memoryMBUsed: 5632))
        #expect(filter.passes(host: host, spec: Fixture.request(Fixture.spec(memoryMB: 512))))
        #expect(!filter.passes(host: host, spec: Fixture.request(Fixture.spec(memoryMB: 513))))
        host.claimed = Resources(memoryMB: 1, instances: 1)
        #expect(!filter.passes(host: host, spec: Fixture.request(Fixture.spec(memoryMB: 512))))
        #expect(!RAMFilter(allocationRatio: 1.0).passes(host: Fixture.host(Fixture.report("b", memoryMB: 4096, memoryMBUsed: 3800)), spec: Fixture.request()))
    }

    @Test func coreFilterAppliesAllocationRatio() {
        let filter = CoreFilter(allocationRatio: 16)
        let host = Fixture.host(Fixture.report("a", vcpus: 2, vcpusUsed: 30))
        #expect(filter.passes(host: host, spec: Fixture.request(Fixture.spec(vcpus: 2))))
        #expect(!filter.passes(host: host, spec: Fixture.request(Fixture.spec(vcpus: 3))))
        #expect(!CoreFilter(allocationRatio: 1).passes(host: host, spec: Fixture.request()))
        #expect(!filter.passes(host: Fixture.host(Fixture.report("zero", vcpus: 0)), spec: Fixture.request()))
    }

    @Test func diskFilterCountsRootEphemeralAndSwap() {
        let filter = DiskFilter(allocationRatio: 1.0)
        let host = Fixture.host(Fixture.report("a", localGB: 100, localGBUsed: 80))
        #expect(filter.passes(host: host, spec: Fixture.request(Fixture.spec(rootGB: 20))))
        #expect(!filter.passes(host: host, spec: Fixture.request(Fixture.spec(rootGB: 21))))
        var spec = Fixture.spec(rootGB: 19)
        spec.flavor.swapMB = 1025  // rounds up to 2 GB
        #expect(!filter.passes(host: host, spec: Fixture.request(spec)))
        #expect(DiskFilter(allocationRatio: 2.0).passes(host: host, spec: Fixture.request(Fixture.spec(rootGB: 120))))
    }

    @Test func availabilityZoneFilter() {
        let filter = AvailabilityZoneFilter()
        let host = Fixture.host(Fixture.report("a", zone: "az1"))
        #expect(filter.passes(host: host, spec: Fixture.request(Fixture.spec(zone: "az1"))))
        #expect(!filter.passes(host: host, spec: Fixture.request(Fixture.spec(zone: "az2"))))
        #expect(filter.passes(host: host, spec: Fixture.request(Fixture.spec(zone: nil))))
    }

    @Test func imagePropertiesFilterMatchesArchitectureAndHypervisor() {
        let filter = ImagePropertiesFilter()
        let x86 = Fixture.host(Fixture.report("a", capabilities: ["hw_architecture": "x86_64"], hypervisor: "QEMU"))
        let arm = Fixture.host(Fixture.report("b", capabilities: ["architecture": "aarch64", "hypervisor_types": "kvm, qemu"], hypervisor: "kvm"))
        let silent = Fixture.host(Fixture.report("c"))
        let wantsAmd64 = Fixture.request(Fixture.spec(imageProperties: ["hw_architecture": "amd64"]))
        #expect(filter.passes(host: x86, spec: wantsAmd64))
        #expect(!filter.passes(host: arm, spec: wantsAmd64))
        #expect(!filter.passes(host: silent, spec: wantsAmd64))
        let wantsQemu = Fixture.request(Fixture.spec(imageProperties: ["img_hv_type": "qemu"]))
        #expect(filter.passes(host: x86, spec: wantsQemu))
        #expect(filter.passes(host: arm, spec: wantsQemu))
        #expect(!filter.passes(host: x86, spec: Fixture.request(Fixture.spec(imageProperties: ["hypervisor_type": "xen"]))))
        #expect(filter.passes(host: silent, spec: Fixture.request()))
    }

    @Test func forcedAndIgnoredHostsAndRemovalCounts() {
        let selector = HostSelector(filters: [ComputeFilter(serviceDownTime: 60), RAMFilter(allocationRatio: 1)], weighers: [])
        var disabled = Fixture.host(Fixture.report("disabled"))
        disabled.disabled = true
        let hosts = [Fixture.host(Fixture.report("a")), Fixture.host(Fixture.report("b")), disabled,
                     Fixture.host(Fixture.report("full", memoryMBUsed: 4096))]
        #expect(selector.rank(hosts, spec: Fixture.request(Fixture.spec(ignore: ["a"])), limit: 5) == .ranked([1]))
        // A forced host skips ComputeFilter (an admin's --host) but not the capacity filters.
        #expect(selector.rank(hosts, spec: Fixture.request(Fixture.spec(force: ["disabled"])), limit: 5) == .ranked([2]))
        guard case .noHost(let report) = selector.rank(hosts, spec: Fixture.request(Fixture.spec(force: ["full"])), limit: 5) else {
            Issue.record("a full forced host must not be chosen")
            return
        }
        #expect(report.reason == "4 hosts: force_hosts removed 3, RAMFilter removed 1, 0 remain.")
        guard case .noHost(let all) = selector.rank(hosts, spec: Fixture.request(Fixture.spec(memoryMB: 8192, ignore: ["b"])), limit: 5) else {
            Issue.record("nothing fits 8 GB")
            return
        }
        #expect(all.reason == "4 hosts: ignore_hosts removed 1, ComputeFilter removed 1, RAMFilter removed 2, 0 remain.")
        #expect(FilterReport(hostCount: 0, removals: []).reason.contains("no compute hosts have reported"))
    }
}
