import Messaging
import ServiceKit

/// cirrus-compute: one per hypervisor node (builds instances with the boot issue).
/// Serves `compute`, `compute.<host>` and `compute_fanout`; answers ping and reports heartbeats.
public enum ComputeDaemon {
    /// The RPC API version the manager implements.
    public static let version = RPCVersion(1, 0)

    public static let daemon = CirrusDaemon(binary: "cirrus-compute", topic: "compute") { _ in
        [RPCEndpoint(version: version)]
    }
}
