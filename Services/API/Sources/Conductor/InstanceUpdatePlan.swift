import Foundation
import Schemas

/// How an `instance_update` from compute changes an instance row. Pure and idempotent:
/// applying the same update twice gives the same row.
public enum InstanceUpdatePlan {
    /// The outcome for the row.
    public enum Outcome: Equatable, Sendable {
        /// Write `row`.
        case update(InstanceStateRow)
        /// Soft-delete the row (compute finished terminating) and release the claim.
        case delete
        /// Nothing to change (the row is gone or already deleted).
        case ignore
    }

    public static func apply(_ u: InstanceUpdateArguments, to current: InstanceStateRow?, now: Date) -> Outcome {
        guard var row = current, !row.deleted else { return .ignore }
        if u.vmState == .deleted { return .delete }
        // A late report must not resurrect a server the user is deleting.
        if row.taskState == .deleting, u.updatesTaskState, u.taskState != .deleting, u.vmState != .error {
            return .ignore
        }
        // Casts are handled concurrently, so a build's "spawning" report can land after its
        // "active" one: a build-phase report never takes a finished build back to BUILD.
        if row.vmState != .building, u.vmState == .building || (u.updatesTaskState && u.taskState.map(Self.isBuildPhase) == true) {
            return .ignore
        }
        if let host = u.host { row.host = host }
        if let vm = u.vmState { row.vmState = vm }
        if u.updatesTaskState { row.taskState = u.taskState }
        if let power = u.powerState { row.powerState = power }
        if let launched = u.launchedAt { row.launchedAt = Date(timeIntervalSince1970: launched) }
        if row != current { row.updatedAt = now }
        return row == current ? .ignore : .update(row)
    }

    /// Task states only a build in progress reports.
    static func isBuildPhase(_ t: TaskState) -> Bool {
        switch t {
        case .scheduling, .networking, .block_device_mapping, .spawning: true
        default: false
        }
    }

    /// Whether the scheduler's claim should be given back after this change: the build failed
    /// (building → error) or the instance is gone.
    public static func releasesClaim(before: VMState, after: VMState?) -> Bool {
        (before == .building && after == .error) || after == .deleted
    }
}

/// What to do with a failed build (Nova's reschedule with alternates). Pure.
public enum RescheduleDecision: Equatable, Sendable {
    /// Claim one of these alternates and build there as attempt `attempt`.
    case tryAlternates([Selection], attempt: Int)
    /// Give up: ERROR with this fault message.
    case fail(String)

    public static func decide(_ args: RescheduleInstanceArguments, maxAttempts: Int) -> RescheduleDecision {
        let uuid = args.build.instance.uuid
        if maxAttempts <= 1 {
            return .fail(args.reason)
        }
        let alternates = args.build.alternates.filter { $0.host != args.failedHost }
        guard args.build.attempt < maxAttempts, !alternates.isEmpty else {
            return .fail(exhausted(uuid: uuid, failedHost: args.failedHost, reason: args.reason))
        }
        return .tryAlternates(alternates, attempt: args.build.attempt + 1)
    }

    public static func exhausted(uuid: String, failedHost: String, reason: String) -> String {
        "Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance \(uuid). Last failure on \(failedHost): \(reason)"
    }
}
