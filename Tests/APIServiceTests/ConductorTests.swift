import APIService
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import Schemas
import Testing

@Suite struct ConductorTests {
    let log = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A server created through the API (scheduled to compute1) and its build arguments.
    func bootOne(_ api: TestAPI, _ c: Client, token: String) async throws -> (String, BuildAndRunInstanceArguments) {
        let image = try await c.activeImage(token)
        let id = try await c.createServer(token, image: image).json.at("server", "id")!.stringValue!
        return (id, try #require(api.compute.builds.withLock { $0.last }))
    }

    @Test func instanceUpdateAppliesEventsAndFaultsOnce() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let (id, build) = try await bootOne(api, c, token: token)
            let conductor = api.environment.conductor
            let event = InstanceActionEvent(requestID: build.actionRequestID, name: "compute__do_build_and_run_instance", host: "compute1", startTime: 1_800_000_000)
            try await conductor.instanceUpdate(
                InstanceUpdateArguments(instanceUUID: id, host: "compute1", taskState: .spawning, updatesTaskState: true, event: event),
                uniqueID: "m1", context: .service("t"), logger: log)
            var finished = event
            finished.finishTime = 1_800_000_005
            finished.result = "Error"
            finished.traceback = "spawn failed"
            let failed = InstanceUpdateArguments(
                instanceUUID: id, vmState: .error, taskState: nil, updatesTaskState: true, fault: InstanceFault(message: "Disk image is corrupt", details: "qemu-img: bad"), event: finished)
            try await conductor.instanceUpdate(failed, uniqueID: "m2", context: .service("t"), logger: log)
            try await conductor.instanceUpdate(failed, uniqueID: "m2", context: .service("t"), logger: log)  // redelivered
            let server = try await c.send(.get, "/compute/v2.1/servers/\(id)", token: token).json.at("server")!
            #expect(server["status"] == "ERROR")
            #expect(server.at("fault", "message") == "Disk image is corrupt")
            #expect(server.at("fault", "details") == nil)  // 500 details are for admins
            let admin = try await c.token("admin", "s3cret")
            let action = try await c.send(.get, "/compute/v2.1/servers/\(id)/os-instance-actions/\(build.actionRequestID)", token: admin).json
            let events = action.at("instanceAction", "events")!.arrayValue
            #expect(events.count == 1)
            #expect(events.first?["result"] == "Error")
            #expect(events.first?["traceback"] == "spawn failed")
            let faults = try await api.environment.database.read { db in try InstanceFaultRecord.fetchCount(db) }
            #expect(faults == 1)
            // building → error gives the claim back.
            #expect(api.scheduler.state.withLock { $0.releases } == [id])
        }
    }

    @Test func rescheduleClaimsAnAlternateThenGivesUp() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let (id, build) = try await bootOne(api, c, token: token)
            let conductor = api.environment.conductor
            try await conductor.rescheduleInstance(
                RescheduleInstanceArguments(build: build, failedHost: "compute1", reason: "spawn failed"), uniqueID: "r1",
                context: .service("t"), logger: log)
            let second = try #require(api.compute.builds.withLock { $0.last })
            #expect(second.attempt == 2)
            #expect(api.compute.casts.withLock { $0.last } == "build compute2 \(id)")
            #expect(second.alternates.map(\.host) == ["compute3"])
            #expect(second.spec.ignoreHosts == ["compute1"])
            #expect(try await c.send(.get, "/compute/v2.1/servers/\(id)", token: token).json.at("server", "OS-EXT-SRV-ATTR:host") == "compute2")
            // The scheduler finds no alternate that still fits: ERROR with the retries fault.
            api.scheduler.state.withLock { $0.alternate = ClaimAlternateResult(selection: nil, remaining: []) }
            try await conductor.rescheduleInstance(
                RescheduleInstanceArguments(build: second, failedHost: "compute2", reason: "out of disk"), uniqueID: "r2",
                context: .service("t"), logger: log)
            let server = try await c.send(.get, "/compute/v2.1/servers/\(id)", token: token).json.at("server")!
            #expect(server["status"] == "ERROR")
            #expect(server.at("fault", "message")?.stringValue?.hasPrefix("Exceeded maximum number of retries.") == true)
            #expect(server.at("fault", "message")?.stringValue?.contains("out of disk") == true)
            #expect(api.scheduler.state.withLock { $0.releases }.contains(id))
        }
    }

    @Test func computeNodesServicesAndHostInstances() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let conductor = api.environment.conductor
            _ = try await conductor.reportState(
                ServiceReport(binary: "cirrus-compute", host: "compute1", topic: "compute", reportCount: 1, version: "0.1.0"), logger: log, now: api.clock.now())
            _ = try await conductor.reportState(
                ServiceReport(binary: "cirrus-scheduler", host: "ctl", topic: "scheduler", reportCount: 1, version: "0.1.0"), logger: log, now: api.clock.now())
            try await conductor.computeNodeUpdate(
                HostReport(host: "compute1", nodename: "compute1", hypervisorType: "QEMU", hostIP: "127.0.0.1", vcpus: 8, memoryMB: 16384, localGB: 100,
                           vcpusUsed: 1, memoryMBUsed: 512, localGBUsed: 1, runningVMs: 1), logger: log)
            let admin = try await c.token("admin", "s3cret")
            let hypervisors = try await c.send(.get, "/compute/v2.1/os-hypervisors/detail", token: admin).json.at("hypervisors")!.arrayValue
            #expect(hypervisors.count == 1)
            let h = hypervisors[0]
            #expect(h["hypervisor_hostname"] == "compute1" && h["state"] == "up" && h["status"] == "enabled")
            #expect(h["memory_mb"] == 16384 && h["memory_mb_used"] == 512 && h["vcpus_used"] == 1 && h["local_gb"] == 100)
            #expect(h["hypervisor_type"] == "QEMU" && h["host_ip"] == "127.0.0.1")
            #expect(try await c.send(.get, "/compute/v2.1/os-hypervisors/1", token: admin).json.at("hypervisor", "running_vms") == 1)
            let demo = try await c.token("demo", "demo")
            #expect(try await c.send(.get, "/compute/v2.1/os-hypervisors/detail", token: demo).status == .forbidden)

            let services = try await c.send(.get, "/compute/v2.1/os-services", token: admin).json.at("services")!.arrayValue
            #expect(services.map { $0["binary"] } == ["cirrus-compute", "cirrus-scheduler"])
            #expect(services[0]["zone"] == "nova" && services[0]["state"] == "up" && services[0]["status"] == "enabled")
            #expect(services[1]["zone"] == "internal")
            let disabled = try await c.send(.put, "/compute/v2.1/os-services/disable-log-reason", token: admin, json: [
                "host": "compute1", "binary": "cirrus-compute", "disabled_reason": "maintenance",
            ])
            #expect(disabled.json.at("service", "status") == "disabled")
            #expect(api.scheduler.state.withLock { $0.serviceUpdates } == [UpdateServiceArguments(host: "compute1", disabled: true)])
            #expect(try await c.send(.put, "/compute/v2.1/os-services/enable", token: demo, json: ["host": "compute1", "binary": "cirrus-compute"]).status == .forbidden)
            #expect(try await c.send(.put, "/compute/v2.1/os-services/enable", token: admin, json: ["host": "nowhere", "binary": "cirrus-compute"]).status == .notFound)
            api.clock.advance(61)
            let later = try await c.send(.get, "/compute/v2.1/os-services?binary=cirrus-compute", token: admin).json.at("services")!.arrayValue
            #expect(later.count == 1 && later[0]["state"] == "down" && later[0]["status"] == "disabled" && later[0]["disabled_reason"] == "maintenance")

            let (id, _) = try await bootOne(api, c, token: demo)
            let onHost = try await conductor.hostInstances(host: "compute1")
            #expect(onHost == [HostInstance(uuid: id, vmState: .building, taskState: .scheduling, powerState: .noState)])
            #expect(try await conductor.hostInstances(host: "compute9").isEmpty)
        }
    }

    @Test func buildTimeoutSweepErrorsOutStuckBuilds() async throws {
        let api = try TestAPI(buildTimeout: 5)
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let (id, _) = try await bootOne(api, c, token: token)
            let sweeper = BuildTimeoutSweeper(environment: api.environment)
            #expect(try await sweeper.sweep().isEmpty)
            api.clock.advance(6)
            #expect(try await sweeper.sweep() == [id])
            let server = try await c.send(.get, "/compute/v2.1/servers/\(id)", token: token).json.at("server")!
            #expect(server["status"] == "ERROR")
            #expect(server.at("fault", "message")?.stringValue?.contains("timed out after 5 seconds") == true)
        }
    }

    /// instance_update casts are handled concurrently: a build's late "spawning" report must not
    /// take an ACTIVE instance back to BUILD (seen: 2 of 650 servers stuck in BUILD).
    @Test func lateBuildReportDoesNotUndoActive() {
        var row = InstanceStateRow(id: 1, uuid: "u", vmState: .active, taskState: nil, powerState: .running, updatedAt: Date())
        let spawning = InstanceUpdateArguments(instanceUUID: "u", host: "h", vmState: .building, taskState: .spawning, updatesTaskState: true)
        #expect(InstanceUpdatePlan.apply(spawning, to: row, now: Date()) == .ignore)
        #expect(InstanceUpdatePlan.apply(InstanceUpdateArguments(instanceUUID: "u", taskState: .spawning, updatesTaskState: true), to: row, now: Date()) == .ignore)
        row.vmState = .building
        row.taskState = .scheduling
        guard case .update(let r) = InstanceUpdatePlan.apply(spawning, to: row, now: Date()) else {
            Issue.record("a building instance takes the spawning report")
            return
        }
        #expect(r.taskState == .spawning)
    }

    @Test func updatePlanIsIdempotentAndRespectsDeletes() {
        let row = InstanceStateRow(InstanceRecord(
            id: 1, uuid: "u", name: "n", hostname: "n", projectID: "p", userID: "x",
            flavor: FlavorSpec(id: "1", name: "f", vcpus: 1, memoryMB: 1, rootGB: 1), image: ImageSpec(id: "i", name: "i"),
            metadata: [:], launchIndex: 0, vmState: .active, taskState: .deleting, powerState: .running, createRequestID: "req-1",
            requestSpec: RequestSpec(projectID: "p", flavor: FlavorSpec(id: "1", name: "f", vcpus: 1, memoryMB: 1, rootGB: 1), image: ImageSpec(id: "i", name: "i")),
            createdAt: Date(), updatedAt: Date(), deleted: false))
        let now = Date()
        #expect(InstanceUpdatePlan.apply(InstanceUpdateArguments(instanceUUID: "u", vmState: .active, taskState: nil, updatesTaskState: true), to: row, now: now) == .ignore)
        #expect(InstanceUpdatePlan.apply(InstanceUpdateArguments(instanceUUID: "u", vmState: .deleted), to: row, now: now) == .delete)
        #expect(InstanceUpdatePlan.apply(InstanceUpdateArguments(instanceUUID: "u", vmState: .active), to: nil, now: now) == .ignore)
        guard case .update(let updated) = InstanceUpdatePlan.apply(InstanceUpdateArguments(instanceUUID: "u", powerState: .shutdown), to: row, now: now) else {
            Issue.record("a power state change must update")
            return
        }
        #expect(updated.powerState == .shutdown)
        #expect(InstanceUpdatePlan.apply(InstanceUpdateArguments(instanceUUID: "u", powerState: .shutdown), to: updated, now: now) == .ignore)
        #expect(InstanceUpdatePlan.releasesClaim(before: .building, after: .error))
        #expect(!InstanceUpdatePlan.releasesClaim(before: .active, after: .error))
    }
}
