import Messaging
import ServiceKit

/// cirrus-scheduler: placement decisions (select_destinations arrives with the boot issue).
/// Serves `scheduler`, `scheduler.<host>` and `scheduler_fanout`; answers ping and reports heartbeats.
public enum SchedulerDaemon {
    /// The RPC API version the manager implements.
    public static let version = RPCVersion(1, 0)

    public static let daemon = CirrusDaemon(binary: "cirrus-scheduler", topic: "scheduler") { _ in
        [RPCEndpoint(version: version)]
    }
}
