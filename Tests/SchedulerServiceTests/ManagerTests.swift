import Foundation
import Messaging
import SchedulerService
import Schemas
import Storage
import Testing

@Suite struct ManagerTests {
    /// Three up hosts with 4 GB each, a (most used) < b < c (emptiest).
    func threeHosts(_ options: SchedulerOptions = SchedulerOptions(), clock: Fixture.Clock = Fixture.Clock()) async throws -> SchedulerManager {
        let manager = try await Fixture.manager(options: options, clock: clock)
        for (name, used) in [("a", 2048), ("b", 1024), ("c", 0)] {
            try await manager.updateHostState(Fixture.report(name, memoryMBUsed: used), logger: Fixture.logger)
        }
        return manager
    }

    @Test func selectClaimsFirstHostAndReturnsDistinctUnclaimedAlternates() async throws {
        let manager = try await threeHosts()
        let selections = try await Fixture.select(manager, ["i1"])
        #expect(selections == [[Selection(host: "c", nodename: "c"), Selection(host: "b", nodename: "b"), Selection(host: "a", nodename: "a")]])
        #expect(manager.claims["i1"]?.host == "c")
        #expect(manager.claims.count == 1)
        #expect(try await Fixture.select(manager, ["i2"], maxAttempts: 1).map { $0.map(\.host) } == [["c"]])
    }

    @Test func multiInstanceRequestSpreadsAndCountsEarlierClaims() async throws {
        var options = SchedulerOptions()
        options.ramAllocationRatio = 1.0
        let manager = try await threeHosts(options)
        let selections = try await Fixture.select(manager, ["i1", "i2", "i3"], spec: Fixture.spec(memoryMB: 1024))
        // c (4096 free) first; then b and c both have 3072 free and the tie keeps host order (b); then c.
        #expect(selections.map { $0[0].host } == ["c", "b", "c"])
        for list in selections { #expect(Set(list.map(\.host)).count == list.count) }
    }

    @Test func packingWithNegativeRAMMultiplier() async throws {
        var options = SchedulerOptions()
        options.ramWeightMultiplier = -1
        let manager = try await threeHosts(options)
        #expect(try await Fixture.select(manager, ["i1"])[0].map(\.host) == ["a", "b", "c"])
    }

    @Test func noValidHostSaysWhatEachFilterRemoved() async throws {
        let clock = Fixture.Clock()
        let manager = try await threeHosts(clock: clock)
        try await manager.updateService(UpdateServiceArguments(host: "a", disabled: true), logger: Fixture.logger)
        await #expect(throws: NoValidHost.self) { try await Fixture.select(manager, ["big"], spec: Fixture.spec(memoryMB: 7000)) }
        do {
            _ = try await Fixture.select(manager, ["big"], spec: Fixture.spec(memoryMB: 7000))
        } catch let error as NoValidHost {
            #expect(error.remoteMessage == "3 hosts: ComputeFilter removed 1, RAMFilter removed 2, 0 remain.")
            #expect(error.description == "No valid host was found. 3 hosts: ComputeFilter removed 1, RAMFilter removed 2, 0 remain.")
        }
        clock.advance(61)
        do {
            _ = try await Fixture.select(manager, ["x"])
            Issue.record("hosts are down")
        } catch let error as NoValidHost {
            #expect(error.remoteMessage == "3 hosts: ComputeFilter removed 3, 0 remain.")
        }
        let empty = try await Fixture.manager()
        do {
            _ = try await Fixture.select(empty, ["x"])
            Issue.record("no hosts at all")
        } catch let error as NoValidHost {
            #expect(error.remoteMessage.contains("no compute hosts have reported"))
        }
    }

    @Test func failedMultiInstanceRequestReleasesWhatItClaimed() async throws {
        var options = SchedulerOptions()
        options.ramAllocationRatio = 1.0
        let manager = try await threeHosts(options)
        do {
            _ = try await Fixture.select(manager, ["i1", "i2", "i3", "i4"], spec: Fixture.spec(memoryMB: 3000))
            Issue.record("only 2 fit")
        } catch let error as NoValidHost {
            #expect(error.remoteMessage.hasPrefix("Instance 3 of 4 (i3): 3 hosts: RAMFilter removed 3"))
        }
        #expect(manager.claims.isEmpty)
        #expect(manager.hosts.allSatisfy { $0.claimed == .zero })
    }

    @Test func badInputIsRejectedWithClearMessages() async throws {
        let manager = try await threeHosts()
        let cases: [(SelectDestinationsArguments, String)] = [
            (SelectDestinationsArguments(spec: Fixture.spec(), instanceUUIDs: []), "at least one instance uuid"),
            (SelectDestinationsArguments(spec: Fixture.spec(), instanceUUIDs: ["a", "a"]), "appears twice"),
            (SelectDestinationsArguments(spec: Fixture.spec(), instanceUUIDs: [""]), "1-255 characters"),
            (SelectDestinationsArguments(spec: Fixture.spec(), instanceUUIDs: ["a"], maxAttempts: 0), "max_attempts is 0"),
            (SelectDestinationsArguments(spec: Fixture.spec(vcpus: -1), instanceUUIDs: ["a"]), "vcpus -1"),
            (SelectDestinationsArguments(spec: Fixture.spec(memoryMB: 0), instanceUUIDs: ["a"]), "memory_mb 0"),
            (SelectDestinationsArguments(spec: Fixture.spec(rootGB: -5), instanceUUIDs: ["a"]), "root_gb -5"),
        ]
        for (args, text) in cases {
            do {
                _ = try await manager.selectDestinations(args, logger: Fixture.logger)
                Issue.record("accepted \(args)")
            } catch let error as InvalidArguments {
                #expect(error.remoteMessage.contains(text), "\(error.remoteMessage)")
            }
        }
        await #expect(throws: InvalidArguments.self) {
            try await manager.updateHostState(Fixture.report("neg", memoryMB: -1), logger: Fixture.logger)
        }
        await #expect(throws: InvalidArguments.self) {
            try await manager.updateHostState(Fixture.report(""), logger: Fixture.logger)
        }
        await #expect(throws: InvalidArguments.self) {
            try await manager.updateService(UpdateServiceArguments(host: "", disabled: true), logger: Fixture.logger)
        }
        #expect(manager.claims.isEmpty)
        #expect(manager.hosts.count == 3)
    }

    @Test func claimAlternateMovesTheClaimAndReleaseIsIdempotent() async throws {
        var options = SchedulerOptions()
        options.ramAllocationRatio = 1.0
        let manager = try await threeHosts(options)
        let spec = Fixture.spec(memoryMB: 2048)
        let first = try await Fixture.select(manager, ["i1"], spec: spec)[0]
        #expect(first.map(\.host) == ["c", "b", "a"])
        // Fill b so that the first alternate no longer fits.
        _ = try await Fixture.select(manager, ["filler"], spec: Fixture.spec(memoryMB: 3072, force: ["b"]))
        let moved = try await manager.claimAlternate(
            ClaimAlternateArguments(instanceUUID: "i1", spec: spec, alternates: Array(first.dropFirst())), logger: Fixture.logger)
        #expect(moved == ClaimAlternateResult(selection: Selection(host: "a", nodename: "a"), remaining: []))
        #expect(manager.claims["i1"]?.host == "a")
        #expect(manager.hosts.first { $0.host == "c" }?.claimed == .zero)
        let none = try await manager.claimAlternate(
            ClaimAlternateArguments(instanceUUID: "i1", spec: Fixture.spec(memoryMB: 4000), alternates: [Selection(host: "b", nodename: "b"), Selection(host: "ghost", nodename: "ghost")]),
            logger: Fixture.logger)
        #expect(none == ClaimAlternateResult(selection: nil, remaining: []))
        #expect(manager.claims["i1"] == nil)
        try await manager.releaseClaim(instanceUUID: "filler", logger: Fixture.logger)
        try await manager.releaseClaim(instanceUUID: "filler", logger: Fixture.logger)
        try await manager.releaseClaim(instanceUUID: "never-claimed", logger: Fixture.logger)
        #expect(manager.claims.isEmpty)
        #expect(manager.hosts.allSatisfy { $0.claimed == .zero })
    }

    @Test func reselectingAnInstanceReplacesItsClaim() async throws {
        let manager = try await threeHosts()
        _ = try await Fixture.select(manager, ["i1"])
        _ = try await Fixture.select(manager, ["i1"])
        #expect(manager.claims.count == 1)
        #expect(manager.hosts.reduce(0) { $0 + $1.claimed.instances } == 1)
    }

    @Test func reportsConfirmClaimsAndExpireStaleOnes() async throws {
        var options = SchedulerOptions()
        options.claimTimeout = 100
        let clock = Fixture.Clock()
        let manager = try await threeHosts(options, clock: clock)
        _ = try await Fixture.select(manager, ["i1", "i2"], spec: Fixture.spec(memoryMB: 1000))
        let hostOfI1 = try #require(manager.claims["i1"]?.host)
        // The report lists i1: its usage now includes it, so the claim goes.
        try await manager.updateHostState(Fixture.report(hostOfI1, memoryMBUsed: 1000, instances: ["i1"]), logger: Fixture.logger)
        #expect(manager.claims["i1"] == nil)
        #expect(manager.hosts.first { $0.host == hostOfI1 }?.used.memoryMB == 1000 + (manager.claims["i2"]?.host == hostOfI1 ? 1000 : 0))
        let hostOfI2 = try #require(manager.claims["i2"]?.host)
        clock.advance(50)
        try await manager.updateHostState(Fixture.report(hostOfI2), logger: Fixture.logger)
        #expect(manager.claims["i2"] != nil)
        clock.advance(51)
        try await manager.updateHostState(Fixture.report(hostOfI2), logger: Fixture.logger)
        #expect(manager.claims["i2"] == nil)
    }

    @Test func updateServiceBeforeAnyReportIsRemembered() async throws {
        let manager = try await threeHosts()
        try await manager.updateService(UpdateServiceArguments(host: "new", disabled: true), logger: Fixture.logger)
        try await manager.updateHostState(Fixture.report("new", memoryMB: 100_000), logger: Fixture.logger)
        #expect(manager.hosts.first { $0.host == "new" }?.disabled == true)
        #expect(try await Fixture.select(manager, ["i1"])[0][0].host == "c")
        try await manager.updateService(UpdateServiceArguments(host: "new", disabled: false), logger: Fixture.logger)
        #expect(try await Fixture.select(manager, ["i2"])[0][0].host == "new")
    }
}
