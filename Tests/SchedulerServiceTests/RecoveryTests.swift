import Foundation
import Messaging
import SchedulerService
import Schemas
import Storage
import Testing

@Suite struct RecoveryTests {
    @Test func hostsAndClaimsSurviveARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scheduler-recovery-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = Fixture.Clock()
        do {
            let database = try SchedulerDatabase.open(statePath: directory)
            let manager = try await Fixture.manager(database: database, clock: clock)
            try await manager.updateHostState(
                Fixture.report("a", zone: "az1", capabilities: ["hw_architecture": "x86_64"]), logger: Fixture.logger)
            try await manager.updateHostState(Fixture.report("b", memoryMBUsed: 1000, runningVMs: 2), logger: Fixture.logger)
            try await manager.updateService(UpdateServiceArguments(host: "b", disabled: true, forcedDown: true), logger: Fixture.logger)
            _ = try await Fixture.select(manager, ["i1", "i2"], spec: Fixture.spec(vcpus: 2, memoryMB: 700, rootGB: 3))
            _ = try await Fixture.select(manager, ["gone"])
            try await manager.releaseClaim(instanceUUID: "gone", logger: Fixture.logger)
            try database.close()
        }
        let reopened = try SchedulerDatabase.open(statePath: directory)
        let restored = try await Fixture.manager(database: reopened, clock: clock)
        #expect(Set(restored.claims.keys) == ["i1", "i2"])
        #expect(restored.claims["i1"]?.resources == Resources(vcpus: 2, memoryMB: 700, diskGB: 3, instances: 1))
        let a = try #require(restored.hosts.first { $0.host == "a" })
        #expect(a.claimed == Resources(vcpus: 4, memoryMB: 1400, diskGB: 6, instances: 2))
        #expect(a.availabilityZone == "az1")
        #expect(a.architecture == "x86_64")
        #expect(a.lastReportAt == Fixture.now)
        let b = try #require(restored.hosts.first { $0.host == "b" })
        #expect(b.disabled && b.forcedDown)
        #expect(b.reported == Resources(vcpus: 0, memoryMB: 1000, diskGB: 0, instances: 2))
        // The restored claims still count: 4096 × 1.5 − 1400 = 4744 MB left on a, b is disabled.
        await #expect(throws: NoValidHost.self) { try await Fixture.select(restored, ["big"], spec: Fixture.spec(memoryMB: 4745)) }
        #expect(try await Fixture.select(restored, ["fits"], spec: Fixture.spec(memoryMB: 4744))[0][0].host == "a")
    }
}
