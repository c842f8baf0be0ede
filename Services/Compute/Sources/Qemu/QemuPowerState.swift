import Schemas

/// Which Nova power state a qemu process is in. Pure.
public enum QemuPowerState {
    /// A QMP `RunState` (`query-status`'s `status`) as a power state.
    public static func from(status: String) -> PowerState {
        switch status {
        case "running": .running
        case "shutdown": .shutdown
        case "suspended": .suspended
        case "internal-error", "guest-panicked": .crashed
        default: .paused  // paused, debug, inmigrate, prelaunch, io-error, watchdog, save-vm ...
        }
    }

    /// - Parameters:
    ///   - processAlive: the pid file names a live qemu of this instance.
    ///   - status: its QMP status, nil when QMP did not answer.
    /// A dead (or never started) process is SHUTDOWN; a live one QMP cannot reach is taken
    /// as running (it is using the host's resources).
    public static func powerState(processAlive: Bool, status: String?) -> PowerState {
        guard processAlive else { return .shutdown }
        return status.map(from(status:)) ?? .running
    }

    /// Whether a live qemu in `status` is the running guest (anything else is ended before
    /// starting it again).
    public static func isGuestUp(status: String?) -> Bool {
        guard let status else { return true }
        let state = from(status: status)
        return state == .running || state == .paused || state == .suspended
    }
}
