import Messaging
import ServiceKit

/// cirrus-compute: one per hypervisor node (or N fake hosts with `[fake_driver] hosts`).
/// Serves ``ComputeAPI`` 1.0 on `compute`, `compute.<host>` and `compute_fanout` after
/// reconciling its hosts, reports heartbeats and resources, and runs the periodic tasks.
public enum ComputeDaemon {
    /// The RPC API version the manager implements.
    public static let version = ComputeManager.version

    public static var daemon: CirrusDaemon {
        let runtime = ComputeRuntime()
        return CirrusDaemon(
            binary: "cirrus-compute", topic: "compute",
            endpoints: { try await runtime.prepare($0).endpoints },
            services: { try await runtime.prepare($0).services })
    }
}
