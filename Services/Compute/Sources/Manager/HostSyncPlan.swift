import Foundation
import Schemas

/// Which local records to clean after asking the conductor what it has on this host: those
/// the API no longer has, or has as deleted (their files and guests go too). A pure decision.
public enum HostSyncPlan {
    /// Uuids of `local` records to destroy and purge.
    ///
    /// - Parameter grace: records touched less than this long ago are kept (a build whose
    ///   first `instance_update` the API may not have applied yet); tombstones (`deleted`,
    ///   `rescheduled`) the API does not list as live are always cleaned.
    public static func recordsToClean(local: [InstanceRecord], remote: [HostInstance], now: Date, grace: Double) -> [String] {
        var remoteState: [String: VMState] = [:]
        for r in remote { remoteState[r.uuid] = r.vmState }
        return local.compactMap { record in
            let state = remoteState[record.uuid]
            let goneRemotely = state == nil || state == .deleted || state == .soft_deleted
            if !record.isLive {
                return (state == nil || state == .deleted || record.state == .rescheduled) ? record.uuid : nil
            }
            guard goneRemotely else { return nil }
            return now.timeIntervalSince(record.updatedAt) >= grace ? record.uuid : nil
        }
    }
}

/// Which files of `_base` to remove (Nova's image cache manager): those no live instance
/// uses and none has used for at least the minimum age. A pure decision.
public enum BaseImageAging {
    /// - Parameters:
    ///   - files: file names in `_base` (temporary `.part-` files and dot files excluded).
    ///   - inUse: base names referenced by live instances.
    ///   - lastUse: when each base was last used; files without an entry use `modified`.
    public static func filesToRemove(
        files: [String], inUse: Set<String>, lastUse: [String: Date], modified: [String: Date], now: Date, minimumAge: Double
    ) -> [String] {
        files.filter { name in
            guard !inUse.contains(name), !name.hasPrefix("."), !name.contains(".part-") else { return false }
            guard let last = lastUse[name] ?? modified[name] else { return false }
            return now.timeIntervalSince(last) >= minimumAge
        }.sorted()
    }
}
