import ComputeService
import Foundation
import Schemas
import Testing

@Suite("Compute manager: build, delete, power actions")
struct ComputeManagerTests {
    @Test("a build makes the instance directory for real and reports ACTIVE with events and notifications")
    func build() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        let instance = sampleInstance()
        try await h.manager.buildAndRunInstance(buildArgs(instance), context: testContext, logger: quietLogger)

        let uuid = instance.uuid
        for path in [h.paths.disk(uuid: uuid), h.paths.diskInfo(uuid: uuid), h.paths.domainXML(uuid: uuid), h.paths.consoleLog(uuid: uuid)] {
            #expect(h.exists(path), "missing \(path)")
        }
        let info = try await qemuImgInfo(h.paths.disk(uuid: uuid))
        #expect(info["backing-filename"] as? String == h.paths.baseImage(imageID: instance.image.id))
        #expect(info["backing-filename-format"] as? String == "raw")
        #expect((info["virtual-size"] as? NSNumber)?.int64Value == 1 << 30)
        #expect(try String(contentsOfFile: h.paths.domainXML(uuid: uuid), encoding: .utf8).contains("<name>instance-0000002a</name>"))

        let updates = h.control.updates(for: uuid)
        #expect(updates.map(\.vmState) == [.building, .active])
        #expect(updates[0].taskState == .spawning && updates[0].host == "node1")
        #expect(updates[0].event?.name == "compute__do_build_and_run_instance" && updates[0].event?.result == nil)
        #expect(updates[1].event?.result == "Success" && updates[1].event?.requestID == "req-create")
        #expect(updates[1].powerState == .running && updates[1].launchedAt != nil && updates[1].updatesTaskState)
        #expect(h.control.notifications == ["compute.instance.create.start", "compute.instance.create.end"])
        #expect(try await h.store.instance(uuid)?.state == .active)
        #expect(await h.driver.instanceInfo(uuid: uuid)?.powerState == .running)
    }

    @Test("the same build delivered twice makes one instance and re-reports its state")
    func idempotentBuild() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        let args = buildArgs(sampleInstance())
        async let first: Void = h.manager.buildAndRunInstance(args, context: testContext, logger: quietLogger)
        async let second: Void = h.manager.buildAndRunInstance(args, context: testContext, logger: quietLogger)
        _ = try await (first, second)
        #expect(try await h.store.allInstances().count == 1)
        #expect(h.control.notifications.filter { $0 == "compute.instance.create.start" }.count == 1)
        let updates = h.control.updates(for: args.instance.uuid)
        #expect(updates.map(\.vmState) == [.building, .active, .active])
        #expect(h.source.downloads == 1)
    }

    @Test("delete destroys the guest, removes the files and reports deleted")
    func delete() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        let instance = sampleInstance()
        try await h.manager.buildAndRunInstance(buildArgs(instance), context: testContext, logger: quietLogger)
        let args = InstanceActionArguments(instanceUUID: instance.uuid, actionRequestID: "req-delete")
        try await h.manager.terminateInstance(args, context: testContext, logger: quietLogger)
        #expect(!h.exists(h.paths.directory(uuid: instance.uuid)))
        #expect(await h.driver.instanceInfo(uuid: instance.uuid) == nil)
        let last = try #require(h.control.updates(for: instance.uuid).last)
        #expect(last.vmState == .deleted && last.event?.name == "compute_terminate_instance" && last.event?.result == "Success")
        #expect(try await h.store.instance(instance.uuid)?.state == .deleted)
        #expect(h.control.notifications.suffix(2) == ["compute.instance.delete.start", "compute.instance.delete.end"])
        // A redelivered build after the delete does not bring the instance back.
        try await h.manager.buildAndRunInstance(buildArgs(instance), context: testContext, logger: quietLogger)
        #expect(!h.exists(h.paths.directory(uuid: instance.uuid)))
        #expect(h.control.updates(for: instance.uuid).last?.vmState == .deleted)
        // A second delete still reports deleted.
        try await h.manager.terminateInstance(args, context: testContext, logger: quietLogger)
        #expect(h.control.updates(for: instance.uuid).last?.vmState == .deleted)
    }

    @Test("stop, start and reboot change the power state and report it")
    func powerActions() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        let instance = sampleInstance()
        let uuid = instance.uuid
        try await h.manager.buildAndRunInstance(buildArgs(instance), context: testContext, logger: quietLogger)
        let action = InstanceActionArguments(instanceUUID: uuid, actionRequestID: "req-x")

        try await h.manager.stopInstance(action, context: testContext, logger: quietLogger)
        var last = try #require(h.control.updates(for: uuid).last)
        #expect(last.vmState == .stopped && last.powerState == .shutdown && last.event?.name == "compute_stop_instance")
        #expect(await h.driver.instanceInfo(uuid: uuid)?.powerState == .shutdown)

        try await h.manager.startInstance(action, context: testContext, logger: quietLogger)
        last = try #require(h.control.updates(for: uuid).last)
        #expect(last.vmState == .active && last.powerState == .running && last.event?.name == "compute_start_instance")

        try await h.manager.rebootInstance(
            RebootInstanceArguments(instanceUUID: uuid, rebootType: .hard, actionRequestID: "req-r"), context: testContext, logger: quietLogger)
        last = try #require(h.control.updates(for: uuid).last)
        #expect(last.vmState == .active && last.event?.name == "compute_reboot_instance" && last.event?.result == "Success")
        #expect(h.control.notifications.contains("compute.instance.power_off.end"))
        #expect(h.control.notifications.contains("compute.instance.reboot.end"))
        #expect(try await h.store.instance(uuid)?.taskState == nil)
    }

    @Test("a spawn failure with alternates is rescheduled and the local files are removed")
    func reschedule() async throws {
        var options = FakeDriver.Options()
        options.failSpawn = true
        let h = try ManagerHarness(driverOptions: options)
        defer { h.dir.remove() }
        let instance = sampleInstance()
        let alternates = [Selection(host: "node2", nodename: "node2")]
        try await h.manager.buildAndRunInstance(buildArgs(instance, alternates: alternates), context: testContext, logger: quietLogger)
        let r = try #require(h.control.reschedules.first)
        #expect(h.control.reschedules.count == 1)
        #expect(r.failedHost == "node1" && r.build.alternates == alternates && r.reason.contains("fail_spawn"))
        #expect(!h.exists(h.paths.directory(uuid: instance.uuid)))
        let last = try #require(h.control.updates(for: instance.uuid).last)
        #expect(last.vmState == .building && last.taskState == .scheduling && last.event?.result == "Error" && last.fault == nil)
        #expect(try await h.store.instance(instance.uuid)?.state == .rescheduled)
        // The same attempt delivered again is not rebuilt here.
        try await h.manager.buildAndRunInstance(buildArgs(instance, alternates: alternates), context: testContext, logger: quietLogger)
        #expect(h.control.reschedules.count == 1)
    }

    @Test("a spawn failure without alternates puts the instance in ERROR with a fault")
    func errorWithoutAlternates() async throws {
        var options = FakeDriver.Options()
        options.failSpawnFor = ["doomed"]
        let h = try ManagerHarness(driverOptions: options)
        defer { h.dir.remove() }
        let doomed = sampleInstance(uuid: "00000000-0000-4000-8000-0000000000d0", name: "doomed")
        try await h.manager.buildAndRunInstance(buildArgs(doomed), context: testContext, logger: quietLogger)
        #expect(h.control.reschedules.isEmpty)
        let last = try #require(h.control.updates(for: doomed.uuid).last)
        #expect(last.vmState == .error && last.taskState == nil && last.updatesTaskState)
        #expect(last.fault?.message.contains("fail_spawn") == true)
        #expect(h.control.notifications.last == "compute.instance.create.error")
        #expect(!h.exists(h.paths.directory(uuid: doomed.uuid)))
        // Other instances on the host still build.
        try await h.manager.buildAndRunInstance(buildArgs(sampleInstance()), context: testContext, logger: quietLogger)
        #expect(h.control.updates(for: sampleInstance().uuid).last?.vmState == .active)
    }

    @Test("the host report sums the flavors of live instances")
    func hostReport() async throws {
        let h = try ManagerHarness()
        defer { h.dir.remove() }
        for i in 0..<3 {
            try await h.manager.buildAndRunInstance(
                buildArgs(sampleInstance(uuid: "00000000-0000-4000-8000-00000000000\(i)", name: "vm\(i)", internalID: i + 1)),
                context: testContext, logger: quietLogger)
        }
        await h.manager.reportResources()
        let report = try #require(h.control.reports.first)
        #expect(report.host == "node1" && report.hypervisorType == "fake" && report.vcpus == 1000)
        #expect(report.vcpusUsed == 3 && report.memoryMBUsed == 1536 && report.localGBUsed == 3 && report.runningVMs == 3)
        #expect(report.instanceUUIDs.count == 3)
    }
}
