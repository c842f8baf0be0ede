import Messaging
import ServiceKit

/// cirrus-metadata-proxy: 169.254.169.254 for instances (with the metadata issue).
/// Serves `metadata`, `metadata.<host>` and `metadata_fanout`; answers ping and reports heartbeats.
public enum MetadataProxyDaemon {
    /// The RPC API version the manager implements.
    public static let version = RPCVersion(1, 0)

    public static let daemon = CirrusDaemon(binary: "cirrus-metadata-proxy", topic: "metadata") { _ in
        [RPCEndpoint(version: version)]
    }
}
