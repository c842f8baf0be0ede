import Foundation
import Logging
import Messaging
import Schemas
import Storage

/// One create request's background work: its instances (in order) and what to place.
public struct BootJob: Sendable, Equatable {
    public var instanceUUIDs: [String]
    public var spec: RequestSpec
    public var context: Messaging.RequestContext
    /// The instances as created (without NICs), by uuid, with their `updated_at`: the build
    /// uses them unless the row changed since (renamed while scheduling), saving a full read.
    public var created: [String: (spec: InstanceSpec, updatedAt: Date)]

    public init(instanceUUIDs: [String], spec: RequestSpec, context: Messaging.RequestContext, created: [InstanceRecord] = []) {
        self.instanceUUIDs = instanceUUIDs
        self.spec = spec
        self.context = context
        self.created = Dictionary(created.map { ($0.uuid, ($0.spec, $0.updatedAt)) }, uniquingKeysWith: { a, _ in a })
    }

    public static func == (a: BootJob, b: BootJob) -> Bool {
        a.instanceUUIDs == b.instanceUUIDs && a.spec == b.spec && a.context == b.context
    }
}

/// The conductor's half of a boot (Nova's `schedule_and_build_instances`): ask the scheduler
/// for hosts, record the chosen host, cast `build_and_run_instance` with the alternates; on
/// NoValidHost (or an unreachable scheduler) put the instances into ERROR with a fault.
public struct BootOrchestrator: Sendable {
    public let database: ServiceDatabase
    public let scheduler: any SchedulerClient
    public let compute: any ComputeClient
    public let maxAttempts: Int
    public let logger: Logger
    public let now: @Sendable () -> Date
    /// Port binding updates go out through it (none when nil).
    public let notifier: NetworkNotifier?

    public init(
        database: ServiceDatabase, scheduler: any SchedulerClient, compute: any ComputeClient, maxAttempts: Int,
        logger: Logger, now: @escaping @Sendable () -> Date, notifier: NetworkNotifier? = nil
    ) {
        self.notifier = notifier
        self.database = database
        self.scheduler = scheduler
        self.compute = compute
        self.maxAttempts = maxAttempts
        self.logger = logger
        self.now = now
    }

    public func schedule(_ job: BootJob) async {
        let log = job.context.logger(logger)
        let result: SelectDestinationsResult
        do {
            result = try await scheduler.selectDestinations(
                SelectDestinationsArguments(spec: job.spec, instanceUUIDs: job.instanceUUIDs, maxAttempts: maxAttempts),
                context: job.context)
        } catch let error as NoValidHost {
            log.warning("No valid host for instances", metadata: ["instance.count": "\(job.instanceUUIDs.count)", "reason": "\(error.remoteMessage)"])
            await fail(job.instanceUUIDs, InstanceFault(code: 500, message: "No valid host was found. \(error.remoteMessage)"), log)
            return
        } catch {
            log.error("Scheduling failed", metadata: ["error": "\(error)"])
            await fail(job.instanceUUIDs, InstanceFault(code: 500, message: "Scheduling failed: the scheduler did not answer (\(error)); try again later.", details: "\(error)"), log)
            return
        }
        for (index, uuid) in job.instanceUUIDs.enumerated() {
            let selections = index < result.selections.count ? result.selections[index] : []
            await build(uuid, selections: selections, job: job, log: log)
        }
    }

    func build(_ uuid: String, selections: [Selection], job: BootJob, log: Logger) async {
        var log = log
        log[metadataKey: "instance.id"] = .string(uuid)
        guard let first = selections.first else {
            await fail([uuid], InstanceFault(code: 500, message: "No valid host was found. The scheduler returned no host for this instance."), log)
            return
        }
        let time = now()
        let instance: InstanceSpec?
        let bound: [PortInfo]
        do {
            let created = job.created[uuid]
            (instance, bound) = try await database.write { db -> (InstanceSpec?, [PortInfo]) in
                guard let state = try InstanceStateRow.live(db, uuid: uuid), state.vmState == .building else { return (nil, []) }
                // The spec as created, unless the row changed since (then read it in full);
                // SQLite keeps dates to the millisecond.
                let unchanged = created.map { abs($0.updatedAt.timeIntervalSince(state.updatedAt)) < 0.001 } ?? false
                guard var spec = unchanged ? created?.spec : try InstanceStore.live(db, uuid: uuid)?.spec else { return (nil, []) }
                // Only the changed columns: a full record update re-encodes the JSON columns.
                try InstanceRecord.filter(key: state.id).updateAll(
                    db, Column("host").set(to: first.host), Column("node").set(to: first.nodename), Column("updated_at").set(to: time))
                let (bound, interfaces) = try NetworkStore.bindInstancePorts(db, instance: uuid, host: first.host, now: time)
                spec.networks = interfaces
                return (spec, bound)
            }
        } catch {
            log.error("Cannot record the chosen host", metadata: ["error": "\(error)"])
            try? await scheduler.releaseClaim(instanceUUID: uuid, context: job.context)
            return
        }
        guard let instance else {
            // Deleted (or failed) while the scheduler was choosing: give the claim back.
            log.info("Instance went away during scheduling; releasing its claim")
            try? await scheduler.releaseClaim(instanceUUID: uuid, context: job.context)
            return
        }
        await notifier?.submit(bound.map { .portBound($0) }, context: job.context)
        let args = BuildAndRunInstanceArguments(
            instance: instance, spec: job.spec, alternates: Array(selections.dropFirst()), attempt: 1,
            actionRequestID: job.context.requestID)
        do {
            try await compute.buildAndRunInstance(host: first.host, args, context: job.context)
            log.info("Build cast to compute", metadata: ["host": "\(first.host)", "alternates": "\(selections.count - 1)"])
        } catch {
            log.error("Cannot cast build_and_run_instance", metadata: ["host": "\(first.host)", "error": "\(error)"])
            await fail([uuid], InstanceFault(code: 500, message: "Build of instance \(uuid) could not be sent to host \(first.host): \(error)"), log)
            try? await scheduler.releaseClaim(instanceUUID: uuid, context: job.context)
        }
    }

    func fail(_ uuids: [String], _ fault: InstanceFault, _ log: Logger) async {
        let time = now()
        do {
            try await database.write { db in
                for uuid in uuids { try InstanceStore.setError(db, uuid: uuid, fault: fault, host: nil, now: time) }
            }
        } catch {
            log.error("Cannot record the instances' failure", metadata: ["error": "\(error)"])
        }
    }
}
