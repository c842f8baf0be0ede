import Foundation
import Logging
import Messaging
import Schemas

extension ComputeManager {
    /// `terminate_instance`: destroys the guest, removes its directory, records and reports
    /// `deleted` (the conductor then finalises the delete). Reports `deleted` even for an
    /// instance this host never had, so a delete can always complete.
    public func terminateInstance(_ args: InstanceActionArguments, context: RequestContext, logger: Logger) async throws {
        let uuid = args.instanceUUID
        let log = instanceLogger(logger, uuid)
        try await locks.withLock(uuid) {
            let started = self.now()
            if var record = try await self.store.instance(uuid), record.state != .deleted {
                record.taskState = .deleting
                record.updatedAt = self.clock()
                try await self.store.save(record)
                await self.notify("compute.instance.delete.start", record, context: context)
                try await self.driver.destroy(uuid: uuid, logger: log)
                await self.unplugVIFs(record.instance, logger: log)
                await self.reportPorts(record.instance, status: Self.portDown, context: context, logger: log)
                self.removeInstanceDirectory(uuid, logger: log)
                record.state = .deleted
                record.taskState = nil
                record.powerState = .noState
                record.updatedAt = self.clock()
                try await self.store.save(record)
                await self.notify("compute.instance.delete.end", record, context: context)
                log.info("Instance destroyed")
            } else {
                // Files may remain from an interrupted build that was never recorded.
                try? await self.driver.destroy(uuid: uuid, logger: log)
                self.removeInstanceDirectory(uuid, logger: log)
            }
            let event = InstanceActionEvent(
                requestID: args.actionRequestID, name: "compute_terminate_instance", host: self.host, startTime: started,
                finishTime: self.now(), result: "Success")
            try await self.control.instanceUpdate(
                InstanceUpdateArguments(
                    instanceUUID: uuid, vmState: .deleted, taskState: nil, updatesTaskState: true, powerState: .noState,
                    event: event),
                context: context)
        }
    }

    /// `stop_instance`: powers the guest off; the instance becomes SHUTOFF (`stopped`).
    public func stopInstance(_ args: InstanceActionArguments, context: RequestContext, logger: Logger) async throws {
        try await powerAction(
            args.instanceUUID, requestID: args.actionRequestID, event: "compute_stop_instance", notification: "power_off",
            task: .powering_off, allowed: [.active, .stopped, .error], final: .stopped, context: context, logger: logger
        ) { uuid, log in try await self.driver.powerOff(uuid: uuid, logger: log) }
    }

    /// `start_instance`: powers the guest on; the instance becomes ACTIVE.
    public func startInstance(_ args: InstanceActionArguments, context: RequestContext, logger: Logger) async throws {
        try await powerAction(
            args.instanceUUID, requestID: args.actionRequestID, event: "compute_start_instance", notification: "power_on",
            task: .powering_on, allowed: [.stopped, .active], final: .active, context: context, logger: logger
        ) { uuid, log in try await self.driver.powerOn(uuid: uuid, logger: log) }
    }

    /// `reboot_instance`: soft or hard reboot; the instance is ACTIVE afterwards.
    public func rebootInstance(_ args: RebootInstanceArguments, context: RequestContext, logger: Logger) async throws {
        let type = args.rebootType
        try await powerAction(
            args.instanceUUID, requestID: args.actionRequestID, event: "compute_reboot_instance", notification: "reboot",
            task: type == .hard ? .rebooting_hard : .rebooting, allowed: [.active, .stopped, .error], final: .active,
            context: context, logger: logger
        ) { uuid, log in try await self.driver.reboot(uuid: uuid, type: type, logger: log) }
    }

    /// The shared shape of stop/start/reboot: record the task state, call the driver, record
    /// and report the outcome. A failure clears the task state and reports an Error event;
    /// the instance keeps its state (as Nova's `reverts_task_state`).
    private func powerAction(
        _ uuid: String, requestID: String, event name: String, notification: String, task: TaskState,
        allowed: Set<InstanceRecord.State>, final: InstanceRecord.State, context: RequestContext, logger: Logger,
        _ operation: @escaping @Sendable (String, Logger) async throws -> Void
    ) async throws {
        let log = instanceLogger(logger, uuid)
        try await locks.withLock(uuid) {
            guard var record = try await self.store.instance(uuid), record.isLive else {
                log.warning("Instance is not on this host; request ignored", metadata: ["action": "\(name)"])
                return
            }
            guard allowed.contains(record.state) else {
                log.warning("Instance state does not allow the action; request ignored", metadata: [
                    "action": "\(name)", "state": "\(record.state.rawValue)",
                ])
                try await self.reportCurrentState(record, context: context)
                return
            }
            let started = self.now()
            record.taskState = task
            record.updatedAt = self.clock()
            try await self.store.save(record)
            await self.notify("compute.instance.\(notification).start", record, context: context)
            var event = InstanceActionEvent(requestID: requestID, name: name, host: self.host, startTime: started)
            do {
                try await operation(uuid, log)
            } catch {
                log.error("Instance action failed", metadata: ["action": "\(name)", "error": "\(error)"])
                record.taskState = nil
                record.updatedAt = self.clock()
                try await self.store.save(record)
                event.finishTime = self.now()
                event.result = "Error"
                event.traceback = "\(error)"
                try await self.control.instanceUpdate(
                    InstanceUpdateArguments(
                        instanceUUID: uuid, host: self.host, vmState: record.vmState, taskState: nil, updatesTaskState: true,
                        event: event),
                    context: context)
                return
            }
            record.state = final
            record.taskState = nil
            record.powerState = await self.driver.instanceInfo(uuid: uuid)?.powerState ?? .noState
            record.updatedAt = self.clock()
            try await self.store.save(record)
            event.finishTime = self.now()
            event.result = "Success"
            try await self.control.instanceUpdate(
                InstanceUpdateArguments(
                    instanceUUID: uuid, host: self.host, vmState: record.vmState, taskState: nil, updatesTaskState: true,
                    powerState: record.powerState, event: event),
                context: context)
            await self.notify("compute.instance.\(notification).end", record, context: context)
        }
    }
}
