/// Nova's `vm_state`: the stable state of an instance.
public enum VMState: String, Codable, Sendable, CaseIterable, SchemaEnumeration {
    case building, active, stopped, error, deleted, soft_deleted
}

/// Nova's `task_state`: the operation in progress, if any.
public enum TaskState: String, Codable, Sendable, CaseIterable, SchemaEnumeration {
    case scheduling, networking, block_device_mapping, spawning
    case powering_off = "powering-off"
    case powering_on = "powering-on"
    case rebooting
    case rebooting_hard = "rebooting_hard"
    case deleting
}

/// Nova's power state codes (0 NOSTATE, 1 RUNNING, 3 PAUSED, 4 SHUTDOWN, 6 CRASHED, 7 SUSPENDED).
public enum PowerState: Int, Codable, Sendable, CaseIterable {
    case noState = 0, running = 1, paused = 3, shutdown = 4, crashed = 6, suspended = 7
}

/// Soft (ACPI through the guest) or hard (reset) reboot.
public enum RebootType: String, Codable, Sendable, CaseIterable, SchemaEnumeration {
    case soft = "SOFT", hard = "HARD"
}
