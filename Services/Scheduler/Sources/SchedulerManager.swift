import Foundation
import Logging
import Messaging
import Schemas
import Storage

/// The server side of ``SchedulerAPI`` 1.0 (its other half is ``SchedulerRPCAPI``): filters and
/// weighs the hosts computes report, claims resources so that concurrent requests never
/// oversubscribe a host, and returns the chosen host plus alternates.
///
/// Every decision runs under the ``HostStateStore`` lock on in-memory state; the claims are
/// then written to SQLite before the reply, so a restarted scheduler remembers them.
/// Claims live in one scheduler: run one cirrus-scheduler per cloud (`release_claim` is a
/// cast to any one scheduler of the topic).
public struct SchedulerManager: Sendable {
    public let store: HostStateStore
    public let options: SchedulerOptions
    public let selector: HostSelector
    let logger: Logger
    /// Seconds since 1970 (injectable for tests of liveness).
    let clock: @Sendable () -> Double

    /// Restores hosts and claims from `database`.
    /// - Throws: ``SchedulerOptionsError`` for an unknown filter, or a storage error.
    public init(
        database: ServiceDatabase, options: SchedulerOptions = SchedulerOptions(), logger: Logger,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) async throws {
        self.options = options
        self.selector = try options.selector()
        self.logger = logger
        self.clock = clock
        store = try await HostStateStore(database: database, logger: logger)
        let table = store.snapshot
        logger.info("Scheduler state restored", metadata: [
            "hosts": "\(table.hosts.count)", "claims": "\(table.claims.count)",
        ])
    }

    /// The `scheduler` endpoint at ``SchedulerAPI/version``.
    public func endpoint() -> RPCEndpoint {
        var e = RPCEndpoint(version: SchedulerAPI.version)
        e.register("select_destinations") { (req, args: SelectDestinationsArguments) in
            try await self.selectDestinations(args, logger: req.logger)
        }
        e.register("claim_alternate") { (req, args: ClaimAlternateArguments) in
            try await self.claimAlternate(args, logger: req.logger)
        }
        e.register("release_claim") { (req, args: ReleaseClaimArguments) in
            try await self.releaseClaim(instanceUUID: args.instanceUUID, logger: req.logger)
        }
        e.register("update_host_state") { (req, args: UpdateHostStateArguments) in
            try await self.updateHostState(args.report, logger: req.logger)
        }
        e.register("update_service") { (req, args: UpdateServiceArguments) in
            try await self.updateService(args, logger: req.logger)
        }
        return e
    }

    /// Chooses and claims a host per instance (in order; each claim counts for the next
    /// instance) and adds up to `max_attempts − 1` unclaimed alternates, distinct from the
    /// chosen host. An instance that already holds a claim is placed again (its old claim is
    /// released first), so a retried call does not leak capacity.
    ///
    /// - Throws: ``NoValidHost`` (after releasing what this request claimed) saying how many
    ///   hosts each filter removed; `InvalidArguments` for an empty or malformed request.
    public func selectDestinations(_ args: SelectDestinationsArguments, logger: Logger) async throws -> SelectDestinationsResult {
        try RequestValidation.check(args)
        let request = PlacementRequest(spec: args.spec, now: clock())
        let attempts = args.maxAttempts ?? options.maxAttempts
        let outcome = store.withTable { table in
            Self.place(args.instanceUUIDs, request: request, attempts: attempts, subset: options.hostSubsetSize,
                       selector: selector, table: &table)
        }
        await store.flush()
        switch outcome {
        case .success(let selections):
            for (uuid, list) in zip(args.instanceUUIDs, selections) {
                logger.info("Selected host", metadata: [
                    "instance.id": "\(uuid)", "host": "\(list[0].host)",
                    "alternates": "\(list.dropFirst().map(\.host).joined(separator: ","))",
                ])
            }
            return SelectDestinationsResult(selections: selections)
        case .failure(let error):
            logger.info("No valid host", metadata: [
                "instance.id": "\(args.instanceUUIDs.joined(separator: ","))", "reason": "\(error.remoteMessage)",
            ])
            throw error
        }
    }

    /// The decision of ``selectDestinations(_:logger:)``, under the lock.
    static func place(
        _ uuids: [String], request: PlacementRequest, attempts: Int, subset: Int, selector: HostSelector,
        table: inout HostTable
    ) -> Result<[[Selection]], NoValidHost> {
        var selections: [[Selection]] = []
        selections.reserveCapacity(uuids.count)
        for (n, uuid) in uuids.enumerated() {
            table.release(uuid)
            switch selector.rank(table.hosts, spec: request, limit: subset + attempts - 1) {
            case .noHost(let report):
                for placed in uuids[..<n] { table.release(placed) }
                let which = uuids.count > 1 ? "Instance \(n + 1) of \(uuids.count) (\(uuid)): " : ""
                return .failure(NoValidHost(remoteMessage: which + report.reason))
            case .ranked(let ranked):
                let chosen = ranked[subset > 1 ? Int.random(in: 0..<min(subset, ranked.count)) : 0]
                table.claim(uuid, hostAt: chosen, resources: request.resources, now: request.now)
                var list = [table.hosts[chosen].selection]
                for index in ranked where index != chosen && list.count < attempts {
                    list.append(table.hosts[index].selection)
                }
                selections.append(list)
            }
        }
        return .success(selections)
    }

    /// For a reschedule: releases the instance's claim, then claims the first of `alternates`
    /// that still passes the filters; returns it and the alternates after it, or `selection:
    /// nil` (and no remaining) when none fits.
    public func claimAlternate(_ args: ClaimAlternateArguments, logger: Logger) async throws -> ClaimAlternateResult {
        try RequestValidation.check(args)
        let request = PlacementRequest(spec: args.spec, now: clock())
        let result = store.withTable { table -> ClaimAlternateResult in
            table.release(args.instanceUUID)
            for (k, alternate) in args.alternates.enumerated() {
                guard let index = table.index(of: alternate.host), selector.passes(table.hosts[index], spec: request) else {
                    continue
                }
                table.claim(args.instanceUUID, hostAt: index, resources: request.resources, now: request.now)
                return ClaimAlternateResult(selection: table.hosts[index].selection, remaining: Array(args.alternates[(k + 1)...]))
            }
            return ClaimAlternateResult(selection: nil, remaining: [])
        }
        await store.flush()
        if let selection = result.selection {
            logger.info("Claimed alternate host", metadata: ["instance.id": "\(args.instanceUUID)", "host": "\(selection.host)"])
        } else {
            logger.info("No alternate host fits", metadata: [
                "instance.id": "\(args.instanceUUID)", "alternates": "\(args.alternates.map(\.host).joined(separator: ","))",
            ])
        }
        return result
    }

    /// Drops the instance's claim; a claim already gone is not an error.
    public func releaseClaim(instanceUUID: String, logger: Logger) async throws {
        try RequestValidation.checkUUID(instanceUUID, in: "instance_uuid")
        let released = store.withTable { $0.release(instanceUUID) }
        await store.flush()
        if let released {
            logger.info("Released claim", metadata: ["instance.id": "\(instanceUUID)", "host": "\(released.host)"])
        } else {
            logger.debug("No claim to release", metadata: ["instance.id": "\(instanceUUID)"])
        }
    }

    /// Records a compute host's report (see ``HostTable/apply(report:now:claimTimeout:)``).
    public func updateHostState(_ report: HostReport, logger: Logger) async throws {
        try RequestValidation.check(report)
        let now = clock()
        let timeout = options.claimTimeout
        let (isNew, dropped) = store.withTable { table in
            (table.index(of: report.host) == nil, table.apply(report: report, now: now, claimTimeout: timeout))
        }
        await store.flush()
        if isNew {
            logger.info("New compute host", metadata: ["host": "\(report.host)", "availability_zone": "\(report.availabilityZone)"])
        } else {
            logger.debug("Host state updated", metadata: ["host": "\(report.host)", "claims.dropped": "\(dropped.count)"])
        }
    }

    /// Records an operator's enable/disable or force-down of a host's compute service.
    public func updateService(_ args: UpdateServiceArguments, logger: Logger) async throws {
        try RequestValidation.checkHost(args.host, method: "update_service")
        store.withTable { $0.setService(host: args.host, disabled: args.disabled, forcedDown: args.forcedDown) }
        await store.flush()
        logger.info("Host service state changed", metadata: [
            "host": "\(args.host)", "disabled": "\(args.disabled)", "forced_down": "\(args.forcedDown)",
        ])
    }

    /// Current host states (diagnostics and tests).
    public var hosts: [HostState] { store.snapshot.hosts }
    /// Current claims by instance uuid (diagnostics and tests).
    public var claims: [String: Claim] { store.snapshot.claims }
}
