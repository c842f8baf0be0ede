import ComputeService
import Foundation
import Schemas
import Testing

@Suite("Compute store")
struct ComputeStoreTests {
    @Test("saveState changes the state columns and keeps the build request; unknown rows are saved whole")
    func saveStateKeepsTheBuild() async throws {
        let store = try ComputeStore.inMemory()
        let args = buildArgs(sampleInstance())
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var record = InstanceRecord(
            uuid: args.instance.uuid, state: .building, taskState: .spawning, build: args, baseImage: "b", createdAt: t0, updatedAt: t0)
        try await store.saveState(record)  // not stored yet: saved whole
        #expect(try await store.instance(record.uuid)?.build == args)
        record.state = .active
        record.taskState = nil
        record.powerState = .running
        record.launchedAt = t0.addingTimeInterval(1)
        record.updatedAt = t0.addingTimeInterval(1)
        try await store.saveState(record)
        let stored = try #require(try await store.instance(record.uuid))
        #expect(stored.state == .active)
        #expect(stored.taskState == nil)
        #expect(stored.powerState == .running)
        #expect(stored.launchedAt == t0.addingTimeInterval(1))
        #expect(stored.build == args)
        #expect(stored.baseImage == "b")
    }
}
