import Schemas

/// Nova's `_sync_instance_power_state` decision for one settled instance. Pure.
public enum PowerStateSync {
    /// The record's new (state, power state) when the driver's `observed` power state differs
    /// from the `recorded` one, else nil. An ACTIVE instance whose guest is gone, shut down or
    /// crashed becomes `stopped` (the API shows SHUTOFF); other states keep their state and
    /// only record the power state (a stopped guest that runs again is left to the operator).
    public static func change(
        state: InstanceRecord.State, recorded: PowerState, observed: PowerState
    ) -> (InstanceRecord.State, PowerState)? {
        guard observed != recorded else { return nil }
        if state == .active && (observed == .shutdown || observed == .noState || observed == .crashed) {
            return (.stopped, observed)
        }
        return (state, observed)
    }
}
