import SchedulerService
import Schemas
import Testing

@Suite struct WeigherTests {
    let hosts = [
        Fixture.host(Fixture.report("small-free", memoryMB: 4096, memoryMBUsed: 3000, runningVMs: 1)),
        Fixture.host(Fixture.report("big-free", memoryMB: 8192, memoryMBUsed: 0, runningVMs: 5)),
        Fixture.host(Fixture.report("mid-free", memoryMB: 4096, memoryMBUsed: 1000, runningVMs: 3)),
    ]

    @Test func normalisationIsMinMaxAndZeroWhenAllEqual() {
        var values = [10.0, 20.0, 15.0]
        WeightNormalisation.normalise(&values)
        #expect(values == [0, 1, 0.5])
        var same = [3.0, 3.0]
        WeightNormalisation.normalise(&same)
        #expect(same == [0, 0])
    }

    @Test func ramWeigherSpreadsByDefaultAndPacksWhenNegative() {
        let spread = HostSelector(filters: [], weighers: [RAMWeigher()])
        #expect(spread.rank(hosts, spec: Fixture.request(), limit: 3) == .ranked([1, 2, 0]))
        let pack = HostSelector(filters: [], weighers: [RAMWeigher(multiplier: -1)])
        #expect(pack.rank(hosts, spec: Fixture.request(), limit: 3) == .ranked([0, 2, 1]))
        #expect(RAMWeigher().rawWeight(host: hosts[0], spec: Fixture.request()) == 1096)
    }

    @Test func instanceCountWeigherPositiveSpreadsNegativePacks() {
        let spread = HostSelector(filters: [], weighers: [InstanceCountWeigher(multiplier: 1)])
        #expect(spread.rank(hosts, spec: Fixture.request(), limit: 3) == .ranked([0, 2, 1]))
        let pack = HostSelector(filters: [], weighers: [InstanceCountWeigher(multiplier: -1)])
        #expect(pack.rank(hosts, spec: Fixture.request(), limit: 3) == .ranked([1, 2, 0]))
        var claimed = hosts[0]
        claimed.claimed = Resources(instances: 2)
        #expect(claimed.instanceCount == 3)
    }

    @Test func multipliersCombineAndLimitCutsTheList() {
        // RAM spread (×1) prefers big-free; instance count (×3) prefers small-free and outweighs it.
        let both = HostSelector(filters: [], weighers: [RAMWeigher(multiplier: 1), InstanceCountWeigher(multiplier: 3)])
        #expect(both.rank(hosts, spec: Fixture.request(), limit: 1) == .ranked([0]))
        // Zero multipliers are dropped: ties keep host order.
        let none = HostSelector(filters: [], weighers: [RAMWeigher(multiplier: 0)])
        #expect(none.weighers.isEmpty)
        #expect(none.rank(hosts, spec: Fixture.request(), limit: 2) == .ranked([0, 1]))
    }
}
