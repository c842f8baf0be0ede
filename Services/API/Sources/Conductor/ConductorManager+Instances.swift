import Foundation
import Logging
import Messaging
import Schemas
import Storage

extension ConductorManager {
    /// Applies a compute's state report: fields, event, fault; `deleted` soft-deletes the row.
    /// At least once: duplicates (same `_unique_id`) and replays change nothing.
    public func instanceUpdate(
        _ u: InstanceUpdateArguments, uniqueID: String?, context: Messaging.RequestContext, logger: Logger
    ) async throws {
        var log = logger
        log[metadataKey: "instance.id"] = .string(u.instanceUUID)
        let time = now()
        let (before, outcome, removed) = try await database.write { db -> (VMState?, InstanceUpdatePlan.Outcome, [PortInfo]) in
            if let uniqueID, try !ProcessedMessages.markProcessed(db, uniqueID: uniqueID) { return (nil, .ignore, []) }
            var removed: [PortInfo] = []
            let current = try InstanceStateRow.live(db, uuid: u.instanceUUID)
            if let event = u.event { try InstanceStore.recordEvent(db, uuid: u.instanceUUID, event: event) }
            let outcome = InstanceUpdatePlan.apply(u, to: current, now: time)
            switch outcome {
            case .update(let row): try row.update(db)
            case .delete:
                _ = try InstanceStore.softDelete(db, uuid: u.instanceUUID, now: time)
                removed = try NetworkStore.deleteInstancePorts(db, instance: u.instanceUUID, now: time)
            case .ignore: break
            }
            if let fault = u.fault, current != nil {
                try InstanceFaultRecord(
                    instanceUUID: u.instanceUUID, code: fault.code, message: fault.message, details: fault.details,
                    host: u.host ?? current?.host, createdAt: time
                ).insert(db)
            }
            return (current?.vmState, outcome, removed)
        }
        if outcome == .delete {
            await notifier.submit(removed.map { .portDeleted($0) } + [.instancesDeleted([u.instanceUUID])], context: context)
        }
        guard let before, outcome != .ignore else { return }
        let after: VMState? = outcome == .delete ? .deleted : u.vmState
        log.info("Instance updated", metadata: [
            "vm_state": "\(after?.rawValue ?? before.rawValue)", "task_state": "\(u.updatesTaskState ? (u.taskState?.rawValue ?? "none") : "unchanged")",
        ])
        if InstanceUpdatePlan.releasesClaim(before: before, after: after) {
            do {
                try await scheduler.releaseClaim(instanceUUID: u.instanceUUID, context: context)
            } catch {
                log.warning("Cannot release the scheduler claim", metadata: ["error": "\(error)"])
            }
        }
    }

    /// A build failed on `failedHost`: claim the next alternate and cast the build there, or
    /// put the instance into ERROR when none is left.
    public func rescheduleInstance(
        _ args: RescheduleInstanceArguments, uniqueID: String?, context: Messaging.RequestContext, logger: Logger
    ) async throws {
        let uuid = args.build.instance.uuid
        var log = logger
        log[metadataKey: "instance.id"] = .string(uuid)
        let live = try await database.write { db -> Bool in
            if let uniqueID, try !ProcessedMessages.markProcessed(db, uniqueID: uniqueID) { return false }
            guard let row = try InstanceStore.live(db, uuid: uuid) else { return false }
            return row.vmState == .building && row.taskState != .deleting
        }
        guard live else {
            log.info("Reschedule ignored: the instance is no longer building")
            try? await scheduler.releaseClaim(instanceUUID: uuid, context: context)
            return
        }
        switch RescheduleDecision.decide(args, maxAttempts: maxAttempts) {
        case .fail(let message):
            try await failBuild(uuid, message: message, details: args.reason, host: args.failedHost, context: context, log: log)
        case .tryAlternates(let alternates, let attempt):
            var spec = args.build.spec
            spec.ignoreHosts.append(args.failedHost)
            let claimed: ClaimAlternateResult
            do {
                claimed = try await scheduler.claimAlternate(
                    ClaimAlternateArguments(instanceUUID: uuid, spec: spec, alternates: alternates), context: context)
            } catch {
                log.error("claim_alternate failed", metadata: ["error": "\(error)"])
                try await failBuild(uuid, message: "Rescheduling failed: the scheduler did not answer (\(error)). Last failure on \(args.failedHost): \(args.reason)", details: "\(error)", host: args.failedHost, context: context, log: log)
                return
            }
            guard let selection = claimed.selection else {
                let message = RescheduleDecision.exhausted(uuid: uuid, failedHost: args.failedHost, reason: args.reason)
                try await failBuild(uuid, message: message, details: args.reason, host: args.failedHost, context: context, log: log)
                return
            }
            let time = now()
            let (instance, bound) = try await database.write { db -> (InstanceSpec?, [PortInfo]) in
                guard var row = try InstanceStore.live(db, uuid: uuid), row.vmState == .building else { return (nil, []) }
                row.host = selection.host
                row.node = selection.nodename
                row.taskState = .scheduling
                row.updatedAt = time
                try row.update(db)
                // The ports stay; they move with the instance.
                let (spec, bound) = try InstanceStore.bindAndBuildSpec(db, row, host: selection.host, now: time)
                return (spec, bound)
            }
            await notifier.submit(bound.map { .portBound($0) }, context: context)
            guard let instance else {
                try? await scheduler.releaseClaim(instanceUUID: uuid, context: context)
                return
            }
            var build = args.build
            build.instance = instance
            build.spec = spec
            build.alternates = claimed.remaining
            build.attempt = attempt
            try await compute.buildAndRunInstance(host: selection.host, build, context: context)
            log.info("Build rescheduled", metadata: ["host": "\(selection.host)", "attempt": "\(attempt)", "failed.host": "\(args.failedHost)"])
        }
    }

    func failBuild(_ uuid: String, message: String, details: String, host: String?, context: Messaging.RequestContext, log: Logger) async throws {
        let time = now()
        _ = try await database.write { db in
            try InstanceStore.setError(db, uuid: uuid, fault: InstanceFault(code: 500, message: message, details: details), host: host, now: time)
        }
        log.warning("Build failed for good", metadata: ["reason": "\(message)"])
        try? await scheduler.releaseClaim(instanceUUID: uuid, context: context)
    }

    /// Records a compute node's resources (for `hypervisor list`).
    public func computeNodeUpdate(_ report: HostReport, logger: Logger) async throws {
        guard !report.host.isEmpty, report.host.count <= 255, !report.nodename.isEmpty, report.nodename.count <= 255 else {
            throw InvalidArguments(remoteMessage: "compute_node_update needs a host and a nodename (1-255 chars)")
        }
        let time = now()
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO compute_nodes (host, nodename, hypervisor_type, host_ip, vcpus, memory_mb, local_gb,
                      vcpus_used, memory_mb_used, local_gb_used, running_vms, availability_zone, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (host, nodename) DO UPDATE SET hypervisor_type = excluded.hypervisor_type,
                      host_ip = excluded.host_ip, vcpus = excluded.vcpus, memory_mb = excluded.memory_mb,
                      local_gb = excluded.local_gb, vcpus_used = excluded.vcpus_used,
                      memory_mb_used = excluded.memory_mb_used, local_gb_used = excluded.local_gb_used,
                      running_vms = excluded.running_vms, availability_zone = excluded.availability_zone,
                      updated_at = excluded.updated_at
                    """,
                arguments: [
                    report.host, report.nodename, report.hypervisorType, report.hostIP, report.vcpus, report.memoryMB,
                    report.localGB, report.vcpusUsed, report.memoryMBUsed, report.localGBUsed, report.runningVMs,
                    report.availabilityZone, time,
                ])
        }
    }

    /// The live instances cirrus-api has on `host`.
    public func hostInstances(host: String) async throws -> [HostInstance] {
        try await database.read { db in
            try InstanceRecord.filter(Column("host") == host && Column("deleted") == false).order(Column("id")).fetchAll(db)
                .map { HostInstance(uuid: $0.uuid, vmState: $0.vmState, taskState: $0.taskState, powerState: $0.powerState) }
        }
    }
}
