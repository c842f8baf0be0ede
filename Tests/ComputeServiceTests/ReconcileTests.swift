import ComputeService
import Foundation
import Schemas
import Testing

@Suite("Restart reconciliation, host sync, base image aging")
struct ReconcileTests {
    /// Records a build as interrupted: the row says `building`, nothing else happened.
    private func interruptedBuild(_ h: ManagerHarness, _ instance: InstanceSpec, alternates: [Selection] = []) async throws {
        try await h.store.save(InstanceRecord(
            uuid: instance.uuid, state: .building, taskState: .spawning, build: buildArgs(instance, alternates: alternates),
            baseImage: InstancePaths.baseName(imageID: instance.image.id), createdAt: h.clock.now, updatedAt: h.clock.now))
    }

    @Test("an interrupted build without alternates goes to ERROR with a fault; with alternates it is rescheduled")
    func interruptedBuilds() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        let lone = sampleInstance(uuid: "00000000-0000-4000-8000-0000000000a1", name: "lone")
        let mobile = sampleInstance(uuid: "00000000-0000-4000-8000-0000000000a2", name: "mobile")
        try await interruptedBuild(h, lone)
        try await interruptedBuild(h, mobile, alternates: [Selection(host: "node2", nodename: "node2")])
        h.control.setRemote([HostInstance(uuid: lone.uuid, vmState: .building), HostInstance(uuid: mobile.uuid, vmState: .building)])
        try await h.manager.initHost()

        let last = try #require(h.control.updates(for: lone.uuid).last)
        #expect(last.vmState == .error)
        #expect(last.fault?.message == "Instance failed to spawn correctly: interrupted by a compute restart")
        #expect(try await h.store.instance(lone.uuid)?.state == .error)
        #expect(h.control.reschedules.map(\.build.instance.uuid) == [mobile.uuid])
        #expect(try await h.store.allInstances().allSatisfy { $0.state != .building })
    }

    @Test("an interrupted build whose guest is running is finished")
    func finishedAfterRestart() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        let instance = sampleInstance()
        try await interruptedBuild(h, instance)
        _ = try await h.driver.spawn(
            SpawnRequest(
                instance: instance,
                domain: DomainDefinition(instance: instance, diskPath: "", backingPath: "", backingFormat: "raw", consoleLogPath: ""),
                instanceDirectory: "", diskPath: "", domainXMLPath: "", consoleLogPath: ""), logger: quietLogger)
        h.control.setRemote([HostInstance(uuid: instance.uuid, vmState: .building)])
        try await h.manager.initHost()
        let last = try #require(h.control.updates(for: instance.uuid).last)
        #expect(last.vmState == .active && last.event?.result == "Success")
        #expect(try await h.store.instance(instance.uuid)?.state == .active)
    }

    @Test("a restarted host keeps its guests and cleans records the API no longer has")
    func restartCleansDeleted() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let kept = sampleInstance(uuid: "00000000-0000-4000-8000-0000000000b1", name: "kept")
        let gone = sampleInstance(uuid: "00000000-0000-4000-8000-0000000000b2", name: "gone", internalID: 2)
        do {
            let h = try ManagerHarness(dir: dir)
            for i in [kept, gone] { try await h.manager.buildAndRunInstance(buildArgs(i), context: testContext, logger: quietLogger) }
        }
        let h = try ManagerHarness(dir: dir)
        h.control.setRemote(nil)  // conductor down at start: nothing is cleaned, retried later
        try await h.manager.initHost()
        #expect(try await h.store.allInstances().count == 2)
        #expect(await h.driver.instanceInfo(uuid: kept.uuid)?.powerState == .running)

        h.control.setRemote([HostInstance(uuid: kept.uuid, vmState: .active), HostInstance(uuid: gone.uuid, vmState: .deleted)])
        h.clock.advance(3600)
        await h.manager.syncPowerStates()
        #expect(try await h.store.allInstances().map(\.uuid) == [kept.uuid])
        #expect(!h.exists(h.paths.directory(uuid: gone.uuid)))
        #expect(h.exists(h.paths.disk(uuid: kept.uuid)))
    }

    @Test("host sync plan: gone or deleted remotely and older than the grace")
    func hostSyncPlan() {
        let now = Date(timeIntervalSince1970: 1000)
        func rec(_ uuid: String, _ state: InstanceRecord.State, age: Double) -> InstanceRecord {
            InstanceRecord(
                uuid: uuid, state: state, build: buildArgs(sampleInstance(uuid: uuid)), baseImage: "b",
                createdAt: now.addingTimeInterval(-age), updatedAt: now.addingTimeInterval(-age))
        }
        let local = [rec("a", .active, age: 500), rec("b", .active, age: 10), rec("c", .active, age: 500), rec("d", .deleted, age: 1), rec("e", .active, age: 500)]
        let remote = [HostInstance(uuid: "c", vmState: .active), HostInstance(uuid: "e", vmState: .deleted)]
        #expect(HostSyncPlan.recordsToClean(local: local, remote: remote, now: now, grace: 300) == ["a", "d", "e"])
        #expect(HostSyncPlan.recordsToClean(local: local, remote: remote, now: now, grace: 0) == ["a", "b", "d", "e"])
    }

    @Test("base images unused for the minimum age are removed, used ones kept")
    func aging() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        let first = sampleInstance()
        try await h.manager.buildAndRunInstance(buildArgs(first), context: testContext, logger: quietLogger)
        let base = h.paths.baseImage(imageID: first.image.id)
        h.clock.advance(7200)
        #expect(await h.manager.ageBaseImages().isEmpty)  // in use
        try await h.manager.terminateInstance(
            InstanceActionArguments(instanceUUID: first.uuid, actionRequestID: "req-d"), context: testContext, logger: quietLogger)
        h.clock.advance(1800)
        #expect(await h.manager.ageBaseImages().isEmpty)  // unused, but only for 30 minutes
        #expect(h.exists(base))
        h.clock.advance(1801)
        #expect(await h.manager.ageBaseImages() == [InstancePaths.baseName(imageID: first.image.id)])
        #expect(!h.exists(base))
        #expect(OverlayDisk.templates(ofBase: InstancePaths.baseName(imageID: first.image.id), in: h.paths.baseDirectory).isEmpty)
    }

    @Test("aging decision ignores partial downloads and dot files")
    func agingDecision() {
        let now = Date(timeIntervalSince1970: 100_000)
        let old = now.addingTimeInterval(-90_000)
        let files = ["aa", "bb", "cc", ".overlays", "dd.part-1"]
        let removed = BaseImageAging.filesToRemove(
            files: files, inUse: ["bb"], lastUse: ["cc": now.addingTimeInterval(-10)],
            modified: ["aa": old, "bb": old, "cc": old, ".overlays": old, "dd.part-1": old], now: now, minimumAge: 86400)
        #expect(removed == ["aa"])
    }
}
