import Foundation
import Logging
import Messaging
import Schemas

extension ComputeManager {
    /// `instance-action` event name of a build, as Nova names it.
    static let buildEvent = "compute__do_build_and_run_instance"

    /// `build_and_run_instance`: prepares the instance directory, spawns, reports ACTIVE; on
    /// failure reschedules to the next alternate or puts the instance in ERROR with a fault.
    /// A repeated request for an instance already built (or deleted) only re-reports its state.
    public func buildAndRunInstance(_ args: BuildAndRunInstanceArguments, context: RequestContext, logger: Logger) async throws {
        let uuid = args.instance.uuid
        let log = instanceLogger(logger, uuid)
        try await locks.withLock(uuid) {
            if let existing = try await self.store.instance(uuid) {
                let comesBack = existing.state == .rescheduled && args.attempt > existing.build.attempt
                if existing.state != .building && !comesBack {
                    log.info("Build request for an instance already handled here", metadata: ["state": "\(existing.state.rawValue)"])
                    try await self.reportCurrentState(existing, context: context)
                    return
                }
            }
            await self.buildSlots.wait()
            do {
                try await self.build(args, context: context, logger: log)
                await self.buildSlots.signal()
            } catch {
                await self.buildSlots.signal()
                throw error
            }
        }
    }

    private func build(_ args: BuildAndRunInstanceArguments, context: RequestContext, logger log: Logger) async throws {
        let instance = args.instance
        let started = clock()
        var record = InstanceRecord(
            uuid: instance.uuid, state: .building, taskState: .spawning, build: args,
            baseImage: InstancePaths.baseName(imageID: instance.image.id), createdAt: started, updatedAt: started)
        try await store.save(record)
        let startEvent = InstanceActionEvent(
            requestID: args.actionRequestID, name: Self.buildEvent, host: host, startTime: started.timeIntervalSince1970)
        try await control.instanceUpdate(
            InstanceUpdateArguments(
                instanceUUID: instance.uuid, host: host, vmState: .building, taskState: .spawning, updatesTaskState: true,
                powerState: .noState, event: startEvent),
            context: context)
        await notify("compute.instance.create.start", record, context: context)

        let power: PowerState
        do {
            let domain = try await prepareInstanceFiles(instance, context: context, logger: log)
            try await plugVIFs(instance, logger: log)
            power = try await driver.spawn(spawnRequest(instance, domain: domain), logger: log)
        } catch {
            try await buildFailed(record, error: error, startEvent: startEvent, context: context, logger: log)
            return
        }
        await reportPorts(instance, status: Self.portActive, context: context, logger: log)
        try await buildSucceeded(&record, power: power, startEvent: startEvent, context: context, logger: log)
    }

    /// Records and reports ACTIVE.
    func buildSucceeded(
        _ record: inout InstanceRecord, power: PowerState, startEvent: InstanceActionEvent, context: RequestContext, logger: Logger
    ) async throws {
        let done = clock()
        record.state = .active
        record.taskState = nil
        record.powerState = power
        record.launchedAt = done
        record.updatedAt = done
        try await store.saveState(record)
        var event = startEvent
        event.finishTime = done.timeIntervalSince1970
        event.result = "Success"
        try await control.instanceUpdate(
            InstanceUpdateArguments(
                instanceUUID: record.uuid, host: host, vmState: .active, taskState: nil, updatesTaskState: true,
                powerState: power, event: event, launchedAt: done.timeIntervalSince1970),
            context: context)
        await notify("compute.instance.create.end", record, context: context)
        logger.info("Instance spawned", metadata: ["build.ms": "\(Int((done.timeIntervalSince1970 - record.createdAt.timeIntervalSince1970) * 1000))"])
    }

    /// Cleans up after a failed or interrupted build, then reschedules (alternates left) or
    /// reports ERROR with a fault.
    func buildFailed(
        _ failed: InstanceRecord, error: any Error, startEvent: InstanceActionEvent, context: RequestContext, logger: Logger
    ) async throws {
        var record = failed
        let uuid = record.uuid
        let reason = "\(error)"
        logger.error("Instance failed to spawn", metadata: ["error": "\(reason)"])
        try? await driver.destroy(uuid: uuid, logger: logger)
        await unplugVIFs(record.instance, logger: logger)
        removeInstanceDirectory(uuid, logger: logger)
        let done = clock()
        var event = startEvent
        event.finishTime = done.timeIntervalSince1970
        event.result = "Error"
        event.traceback = reason
        record.updatedAt = done
        record.taskState = nil
        record.powerState = .noState
        let alternates = record.build.alternates
        if !alternates.isEmpty {
            try await control.instanceUpdate(
                InstanceUpdateArguments(
                    instanceUUID: uuid, vmState: .building, taskState: .scheduling, updatesTaskState: true, event: event),
                context: context)
            try await control.rescheduleInstance(
                RescheduleInstanceArguments(build: record.build, failedHost: host, reason: reason), context: context)
            record.state = .rescheduled
            try await store.save(record)
            logger.info("Build rescheduled", metadata: ["alternates": "\(alternates.map(\.host).joined(separator: ","))"])
            return
        }
        record.state = .error
        try await store.save(record)
        let fault = InstanceFault(code: 500, message: reason, details: "build of instance \(uuid) on host \(host) failed: \(reason)")
        try await control.instanceUpdate(
            InstanceUpdateArguments(
                instanceUUID: uuid, host: host, vmState: .error, taskState: nil, updatesTaskState: true, powerState: .noState,
                fault: fault, event: event),
            context: context)
        await notify("compute.instance.create.error", record, context: context, priority: .error, message: reason)
    }

    /// The image in `_base`, the overlay `disk`, `disk.info`, the direct-boot `kernel` and
    /// `ramdisk` (images named by `kernel_id`/`ramdisk_id`, cached and verified like the root
    /// image), `libvirt.xml`, `console.log`. Returns the domain written to `libvirt.xml`.
    @discardableResult
    func prepareInstanceFiles(_ instance: InstanceSpec, context: RequestContext, logger: Logger) async throws -> DomainDefinition {
        let fm = FileManager.default
        let uuid = instance.uuid
        let base = try await images.baseImage(for: instance.image, in: paths.baseDirectory, context: context, logger: logger)
        try fm.createDirectory(atPath: paths.directory(uuid: uuid), withIntermediateDirectories: true)
        let format = Self.backingFormat(instance.image)
        let rootGB = max(instance.flavor.rootGB, instance.image.minDiskGB, 1)
        try await overlay.create(
            diskPath: paths.disk(uuid: uuid), backingPath: base, backingFormat: format, rootGB: rootGB, logger: logger)
        try InstanceFileWriter.write(DiskInfo.render(diskPath: paths.disk(uuid: uuid)), to: paths.diskInfo(uuid: uuid))
        var domain = DomainDefinition(
            instance: instance, diskPath: paths.disk(uuid: uuid), backingPath: base, backingFormat: format,
            consoleLogPath: paths.consoleLog(uuid: uuid), vncListen: options.vncListen, domainType: options.domainType)
        let props = instance.image.properties
        if let kernelID = props["kernel_id"], !kernelID.isEmpty {
            try await placeBootImage(kernelID, at: paths.kernel(uuid: uuid), role: "kernel_id", context: context, logger: logger)
            domain.kernelPath = paths.kernel(uuid: uuid)
            if let ramdiskID = props["ramdisk_id"], !ramdiskID.isEmpty {
                try await placeBootImage(ramdiskID, at: paths.ramdisk(uuid: uuid), role: "ramdisk_id", context: context, logger: logger)
                domain.ramdiskPath = paths.ramdisk(uuid: uuid)
            }
            domain.kernelCommandLine = props["os_command_line"].flatMap { $0.isEmpty ? nil : $0 }
        }
        try InstanceFileWriter.write(domain.renderXML(), to: paths.domainXML(uuid: uuid))
        if !fm.fileExists(atPath: paths.consoleLog(uuid: uuid)) {
            guard fm.createFile(atPath: paths.consoleLog(uuid: uuid), contents: nil) else {
                throw ComputeDriverError("cannot create \(paths.consoleLog(uuid: uuid)): check that \(paths.instancesRoot) is writable")
            }
        }
        return domain
    }

    /// Caches the image `imageID` (its record fetched from cirrus-api for size and checksums)
    /// and hard-links (or copies) it to `path` in the instance directory.
    private func placeBootImage(_ imageID: String, at path: String, role: String, context: RequestContext, logger: Logger) async throws {
        let spec: ImageSpec
        do {
            spec = try await images.source.imageMetadata(id: imageID, context: context, logger: logger)
        } catch {
            throw ImageFetchError("the image's \(role) \(imageID) cannot be had: \(error)")
        }
        let cached = try await images.baseImage(for: spec, in: paths.baseDirectory, context: context, logger: logger)
        try await store.touchBaseImage(InstancePaths.baseName(imageID: imageID), at: clock())
        let fm = FileManager.default
        try? fm.removeItem(atPath: path)
        if link(cached, path) != 0 { try fm.copyItem(atPath: cached, toPath: path) }
    }

    /// Format of the cached base file as qemu-img's `-F`: `qcow2` images stay qcow2, anything
    /// else is treated as raw bytes.
    static func backingFormat(_ image: ImageSpec) -> String {
        image.diskFormat == "qcow2" ? "qcow2" : "raw"
    }

    func spawnRequest(_ instance: InstanceSpec, domain: DomainDefinition) -> SpawnRequest {
        let uuid = instance.uuid
        return SpawnRequest(
            instance: instance, domain: domain, instanceDirectory: paths.directory(uuid: uuid), diskPath: paths.disk(uuid: uuid),
            domainXMLPath: paths.domainXML(uuid: uuid), consoleLogPath: paths.consoleLog(uuid: uuid))
    }
}
