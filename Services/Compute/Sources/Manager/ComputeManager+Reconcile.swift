import Foundation
import Logging
import Messaging
import Schemas

extension ComputeManager {
    /// Fault message of a build a restart interrupted.
    static let interruptedBuildMessage = "Instance failed to spawn correctly: interrupted by a compute restart"

    /// Nova's `init_host`, run before the RPC server starts: hands surviving guests back to
    /// the driver, then resolves every interrupted build (finished if the driver has the guest
    /// running, else rescheduled to an alternate, else ERROR with a fault), clears task states
    /// left by interrupted actions, and syncs with the conductor (retried periodically when
    /// it does not answer).
    public func initHost() async throws {
        let context = RequestContext.service("cirrus-compute")
        let log = context.logger(logger)
        let records = try await store.allInstances()
        var known: [String: PowerState] = [:]
        for r in records where r.isLive && r.state != .building { known[r.uuid] = r.powerState }
        await driver.restore(known, logger: log)
        for var record in records where record.isLive {
            let ilog = instanceLogger(log, record.uuid)
            if record.state != .building {
                // Taps do not survive a host reboot: plug again (a no-op when still plugged).
                do {
                    try await plugVIFs(record.instance, logger: ilog)
                } catch {
                    ilog.error("Cannot plug the VIFs of an instance again", metadata: ["error": "\(error)"])
                }
            }
            if record.state == .building {
                try await resolveInterruptedBuild(record, context: context, logger: ilog)
            } else if record.taskState != nil {
                ilog.info("Clearing the task state of an action a restart interrupted", metadata: ["task": "\(record.taskState!.rawValue)"])
                record.taskState = nil
                record.powerState = await driver.instanceInfo(uuid: record.uuid)?.powerState ?? record.powerState
                record.updatedAt = clock()
                try await store.save(record)
                try await reportCurrentState(record, context: context)
            }
        }
        await syncWithConductor(grace: 0, context: context)
        // Guests that stopped or died while compute was down.
        await syncDriverPowerStates(context: context)
    }

    private func resolveInterruptedBuild(_ record: InstanceRecord, context: RequestContext, logger: Logger) async throws {
        let start = InstanceActionEvent(
            requestID: record.build.actionRequestID, name: Self.buildEvent, host: host,
            startTime: record.createdAt.timeIntervalSince1970)
        if let info = await driver.instanceInfo(uuid: record.uuid), info.powerState == .running {
            logger.info("Finishing a build a restart interrupted: the guest is running")
            var r = record
            try await buildSucceeded(&r, power: info.powerState, startEvent: start, context: context, logger: logger)
            return
        }
        logger.warning("Build was interrupted by a restart")
        try await buildFailed(
            record, error: ComputeDriverError(Self.interruptedBuildMessage), startEvent: start, context: context, logger: logger)
    }

    /// Asks the conductor which instances it has here and cleans the local records (guests,
    /// files) of those it no longer has. When the conductor does not answer, the periodic
    /// sync retries.
    public func syncWithConductor(grace: Double, context: RequestContext) async {
        let log = context.logger(logger)
        let remote: [HostInstance]
        do {
            remote = try await control.hostInstances(host: host, context: context)
        } catch {
            hostSyncPending.withLock { $0 = true }
            log.warning("Cannot get this host's instances from the conductor; will retry", metadata: ["error": "\(error)"])
            return
        }
        hostSyncPending.withLock { $0 = false }
        do {
            let local = try await store.allInstances()
            for uuid in HostSyncPlan.recordsToClean(local: local, remote: remote, now: clock(), grace: grace) {
                try await locks.withLock(uuid) {
                    let ilog = self.instanceLogger(log, uuid)
                    try? await self.driver.destroy(uuid: uuid, logger: ilog)
                    if let record = try await self.store.instance(uuid) { await self.unplugVIFs(record.instance, logger: ilog) }
                    self.removeInstanceDirectory(uuid, logger: ilog)
                    try await self.store.purge(uuid)
                    ilog.info("Cleaned the record of an instance the API no longer has here")
                }
            }
        } catch {
            log.error("Host sync failed", metadata: ["error": "\(error)"])
        }
    }
}
