import Foundation
import Logging
import Messaging
import Schemas

extension ComputeManager {
    /// This node's capacity and usage (Nova's resource tracker view).
    public func hostReport() async throws -> HostReport {
        let resources = await driver.hostResources()
        let live = try await store.allInstances().filter(\.isLive)
        let flavors = live.map(\.instance.flavor)
        return HostReport(
            host: host, nodename: host, hypervisorType: resources.hypervisorType, hostIP: options.hostIP,
            vcpus: resources.vcpus, memoryMB: resources.memoryMB, localGB: resources.localGB,
            vcpusUsed: flavors.reduce(0) { $0 + $1.vcpus }, memoryMBUsed: flavors.reduce(0) { $0 + $1.memoryMB },
            localGBUsed: flavors.reduce(0) { $0 + $1.diskGB },
            runningVMs: live.filter { $0.powerState == .running }.count, availabilityZone: options.availabilityZone,
            instanceUUIDs: live.map(\.uuid).sorted())
    }

    /// `update_available_resource`: sends the host report to the schedulers and conductor.
    public func reportResources() async {
        let context = RequestContext.service("cirrus-compute")
        do {
            try await control.reportResources(try await hostReport(), context: context)
        } catch {
            context.logger(logger).warning("Cannot report resources", metadata: ["error": "\(error)"])
        }
    }

    /// `_sync_power_states`: records (and reports) the driver's power state of each instance;
    /// an ACTIVE instance found shut down becomes SHUTOFF. Also retries a host sync the
    /// startup could not do.
    public func syncPowerStates() async {
        let context = RequestContext.service("cirrus-compute")
        if hostSyncPending.withLock({ $0 }) {
            await syncWithConductor(grace: options.syncGraceSeconds, context: context)
        }
        await syncDriverPowerStates(context: context)
    }

    /// Records and reports each settled instance's power state as the driver sees it (a qemu
    /// that died: SHUTDOWN, and an ACTIVE instance becomes `stopped`, shown as SHUTOFF).
    func syncDriverPowerStates(context: RequestContext) async {
        let log = context.logger(logger)
        do {
            for record in try await store.allInstances() where record.isLive && record.state != .building && record.taskState == nil {
                try await locks.withLock(record.uuid) {
                    guard var current = try await self.store.instance(record.uuid), current.isLive,
                          current.state != .building, current.taskState == nil else { return }
                    let power = await self.driver.instanceInfo(uuid: current.uuid)?.powerState ?? .noState
                    guard let change = PowerStateSync.change(state: current.state, recorded: current.powerState, observed: power)
                    else { return }
                    self.instanceLogger(log, current.uuid).info("Power state changed outside Cirrus", metadata: [
                        "power.recorded": "\(current.powerState.rawValue)", "power.driver": "\(power.rawValue)",
                    ])
                    (current.state, current.powerState) = change
                    current.updatedAt = self.clock()
                    try await self.store.save(current)
                    try await self.reportCurrentState(current, context: context)
                }
            }
        } catch {
            log.error("Power state sync failed", metadata: ["error": "\(error)"])
        }
    }

    /// The image cache manager: removes `_base` files (and their overlay templates) that no
    /// instance has used for `[compute] remove_unused_original_minimum_age_seconds`.
    /// Returns the names removed.
    @discardableResult
    public func ageBaseImages() async -> [String] {
        guard options.removeUnusedBaseImages else { return [] }
        let fm = FileManager.default
        let dir = paths.baseDirectory
        do {
            let names = (try? fm.contentsOfDirectory(atPath: dir)) ?? []
            var modified: [String: Date] = [:]
            for name in names {
                modified[name] = (try? fm.attributesOfItem(atPath: dir + "/" + name))?[.modificationDate] as? Date
            }
            let inUse = Set(try await store.allInstances().filter(\.isLive).map(\.baseImage))
            let remove = BaseImageAging.filesToRemove(
                files: names, inUse: inUse, lastUse: try await store.baseImageLastUse(), modified: modified, now: clock(),
                minimumAge: options.baseImageMinimumAge)
            for name in remove {
                for template in OverlayDisk.templates(ofBase: name, in: dir) { try? fm.removeItem(atPath: template) }
                try fm.removeItem(atPath: dir + "/" + name)
                try await store.forgetBaseImage(name)
                logger.info("Removed unused base image", metadata: ["path": "\(dir)/\(name)"])
            }
            return remove
        } catch {
            logger.error("Base image aging failed", metadata: ["error": "\(error)"])
            return []
        }
    }
}
