import Foundation
import Schemas

/// One instance as this compute host records it in `cirrus-compute.sqlite`, written before
/// every side effect so a restart knows what was under way.
public struct InstanceRecord: Sendable, Equatable {
    /// The host's own view of an instance's lifecycle.
    public enum State: String, Sendable, CaseIterable {
        case building, active, stopped, error, deleted
        /// Spawn failed here and the build went to an alternate host: kept only so a
        /// redelivered build is recognised, cleaned by the host sync.
        case rescheduled
    }

    public var uuid: String
    public var state: State
    public var taskState: TaskState?
    public var powerState: PowerState
    /// The build request as received (alternates included), for resuming or rescheduling.
    public var build: BuildAndRunInstanceArguments
    /// File name in `_base` of the image the disk is backed by.
    public var baseImage: String
    public var createdAt: Date
    public var updatedAt: Date
    public var launchedAt: Date?

    public init(
        uuid: String, state: State, taskState: TaskState? = nil, powerState: PowerState = .noState,
        build: BuildAndRunInstanceArguments, baseImage: String, createdAt: Date, updatedAt: Date, launchedAt: Date? = nil
    ) {
        self.uuid = uuid
        self.state = state
        self.taskState = taskState
        self.powerState = powerState
        self.build = build
        self.baseImage = baseImage
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.launchedAt = launchedAt
    }

    public var instance: InstanceSpec { build.instance }

    /// Whether the instance holds resources and files on this host.
    public var isLive: Bool { state != .deleted && state != .rescheduled }

    /// The `vm_state` reported to the conductor for this record.
    public var vmState: VMState {
        switch state {
        case .building, .rescheduled: .building
        case .active: .active
        case .stopped: .stopped
        case .error: .error
        case .deleted: .deleted
        }
    }
}
