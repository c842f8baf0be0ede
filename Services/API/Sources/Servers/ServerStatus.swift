import Schemas

/// Nova's mapping of (vm_state, task_state) to the API `status`. Pure.
public enum ServerStatus {
    public static func of(vmState: VMState, taskState: TaskState?) -> String {
        switch vmState {
        case .building: return "BUILD"
        case .active:
            switch taskState {
            case .rebooting?: return "REBOOT"
            case .rebooting_hard?: return "HARD_REBOOT"
            default: return "ACTIVE"
            }
        case .stopped: return taskState == .rebooting_hard ? "HARD_REBOOT" : "SHUTOFF"
        case .error: return "ERROR"
        case .deleted: return "DELETED"
        case .soft_deleted: return "SOFT_DELETED"
        }
    }

    /// The vm_states a `status=` filter means (nil for an unknown status: matches nothing).
    public static func vmStates(forStatus status: String) -> Set<VMState>? {
        switch status.uppercased() {
        case "BUILD": [.building]
        case "ACTIVE", "REBOOT", "HARD_REBOOT": [.active]
        case "SHUTOFF": [.stopped]
        case "ERROR": [.error]
        case "DELETED": [.deleted]
        case "SOFT_DELETED": [.soft_deleted]
        default: nil
        }
    }
}

/// A user action on a server and the state it needs. Pure.
public enum ServerAction: String, Sendable, Equatable {
    case stop, start, reboot, delete

    /// The task state the action starts, or the 409 message when the server's state forbids it.
    public static func begin(
        _ action: ServerAction, vmState: VMState, taskState: TaskState?, rebootType: RebootType = .soft, uuid: String
    ) -> Result<TaskState, APIError> {
        func conflict() -> Result<TaskState, APIError> {
            let current = taskState.map { "task_state \($0.rawValue)" } ?? "vm_state \(vmState.rawValue)"
            return .failure(.conflict("Cannot '\(action.rawValue)' instance \(uuid) while it is in \(current)."))
        }
        switch action {
        case .delete:
            return .success(.deleting)
        case .stop:
            guard taskState == nil, vmState == .active || vmState == .error else { return conflict() }
            return .success(.powering_off)
        case .start:
            guard taskState == nil, vmState == .stopped else { return conflict() }
            return .success(.powering_on)
        case .reboot:
            switch rebootType {
            case .soft:
                guard vmState == .active, taskState == nil else { return conflict() }
                return .success(.rebooting)
            case .hard:
                guard [.active, .stopped, .error].contains(vmState), taskState == nil || taskState == .rebooting else {
                    return conflict()
                }
                return .success(.rebooting_hard)
            }
        }
    }
}
