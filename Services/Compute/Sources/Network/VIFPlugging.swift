import Logging
import Schemas

/// Connects an instance's virtual NICs to the host network (os-vif's role in Nova). The
/// manager plugs every VIF before the driver starts the guest and unplugs after it is gone.
/// Both are idempotent.
public protocol VIFPlugging: Sendable {
    func plug(_ nic: NetworkInterfaceSpec, logger: Logger) async throws
    func unplug(_ nic: NetworkInterfaceSpec, logger: Logger) async throws
}
