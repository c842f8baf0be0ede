import Messaging
import ServiceKit

/// cirrus-metadata-proxy: 169.254.169.254:80 inside every `qdhcp-<network id>` namespace of
/// this node from one process (and optionally a plain listener), instances identified by
/// (network, source IP) through a SQLite-backed cache fed by conductor RPC and the `metadata`
/// fanout (``MetadataAPI`` 1.0 on `metadata`, `metadata.<host>`, `metadata_fanout`).
public enum MetadataProxyDaemon {
    /// The RPC API version the manager implements.
    public static let version = MetadataManager.version

    public static var daemon: CirrusDaemon {
        let runtime = MetadataRuntime()
        return CirrusDaemon(
            binary: "cirrus-metadata-proxy", topic: "metadata",
            endpoints: { try await runtime.prepare($0).endpoints },
            services: { try await runtime.prepare($0).services })
    }
}
