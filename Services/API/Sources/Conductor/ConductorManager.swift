import Foundation
import Logging
import Messaging
import Schemas
import Storage

/// The server side of ``ConductorAPI`` 1.2 (its other half is ``ConductorRPCAPI``): service
/// heartbeats, instance state reports from computes, reschedules, compute node resources, and
/// (1.2, `ConductorManager+Network`) the DHCP agents', compute's and metadata proxies' networking calls.
public struct ConductorManager: Sendable {
    public let database: ServiceDatabase
    public let serviceDownTime: Double
    public let scheduler: any SchedulerClient
    public let compute: any ComputeClient
    public let maxAttempts: Int
    public let now: @Sendable () -> Date
    public let notifier: NetworkNotifier

    public init(environment e: APIEnvironment) {
        notifier = e.notifier
        database = e.database
        serviceDownTime = e.configuration.serviceDownTime
        scheduler = e.scheduler
        compute = e.compute
        maxAttempts = e.configuration.maxAttempts
        now = e.now
    }

    /// The `conductor` endpoint at ``ConductorAPI/version``.
    public func endpoint() -> RPCEndpoint {
        var e = RPCEndpoint(version: ConductorAPI.version)
        e.register("report_state") { (req, args: ReportStateArguments) in
            try await self.reportState(args.service, logger: req.logger)
        }
        e.register("instance_update") { (req, args: InstanceUpdateArguments) in
            try await self.instanceUpdate(args, uniqueID: req.incoming.uniqueID, context: req.context, logger: req.logger)
        }
        e.register("reschedule_instance") { (req, args: RescheduleInstanceArguments) in
            try await self.rescheduleInstance(args, uniqueID: req.incoming.uniqueID, context: req.context, logger: req.logger)
        }
        e.register("compute_node_update") { (req, args: ComputeNodeUpdateArguments) in
            try await self.computeNodeUpdate(args.report, logger: req.logger)
        }
        e.register("get_host_instances") { (_, args: GetHostInstancesArguments) in
            GetHostInstancesResult(instances: try await self.hostInstances(host: args.host))
        }
        registerNetworking(&e)
        return e
    }

    /// Upserts the service row and returns its administrative state.
    public func reportState(_ report: ServiceReport, logger: Logger, now: Date = Date()) async throws -> ServiceStateReply {
        guard !report.binary.isEmpty, report.binary.count <= 64, !report.host.isEmpty, report.host.count <= 255 else {
            throw InvalidArguments(remoteMessage: "report_state needs a binary (1-64 chars) and a host (1-255 chars)")
        }
        let downTime = serviceDownTime
        let (reply, created) = try await database.write { db -> (ServiceStateReply, Bool) in
            if var row = try ServiceRecord.filter(Column("binary") == report.binary && Column("host") == report.host).fetchOne(db) {
                let wasUp = ServiceLiveness.isUp(lastSeen: row.lastSeenUp, forcedDown: false, now: now, serviceDownTime: downTime)
                row.topic = report.topic
                row.reportCount = report.reportCount
                row.availabilityZone = report.availabilityZone ?? row.availabilityZone
                row.version = report.version
                row.updatedAt = now
                row.lastSeenUp = now
                try row.update(db)
                return (ServiceStateReply(disabled: row.disabled, disabledReason: row.disabledReason, forcedDown: row.forcedDown, revived: !wasUp), false)
            }
            let row = ServiceRecord(
                id: nil, binary: report.binary, host: report.host, topic: report.topic, reportCount: report.reportCount,
                availabilityZone: report.availabilityZone, version: report.version, disabled: false, disabledReason: nil,
                forcedDown: false, createdAt: now, updatedAt: now, lastSeenUp: now)
            try row.insert(db)
            return (ServiceStateReply(), true)
        }
        if created {
            logger.info("Service registered", metadata: ["service.binary": "\(report.binary)", "service.host": "\(report.host)"])
        } else if reply.revived {
            logger.info("Service is up again", metadata: ["service.binary": "\(report.binary)", "service.host": "\(report.host)"])
        }
        return reply
    }

    /// All services with their computed state, for `compute service list`.
    public func services(now: Date = Date()) async throws -> [(ServiceRecord, isUp: Bool)] {
        let downTime = serviceDownTime
        return try await database.read { db in
            try ServiceRecord.order(Column("id")).fetchAll(db).map {
                ($0, ServiceLiveness.isUp(lastSeen: $0.lastSeenUp, forcedDown: $0.forcedDown, now: now, serviceDownTime: downTime))
            }
        }
    }
}
