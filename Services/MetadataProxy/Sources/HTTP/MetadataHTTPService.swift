import Logging
import NIOCore
import ServiceLifecycle

/// Runs the HTTP server: the optional plain listener and the namespace listeners, until
/// graceful shutdown.
public struct MetadataHTTPService: Service {
    public let server: MetadataHTTPServer
    public let namespaces: NamespaceListeners
    let options: MetadataOptions
    let logger: Logger

    public init(server: MetadataHTTPServer, options: MetadataOptions, logger: Logger) {
        self.server = server
        self.options = options
        self.logger = logger
        namespaces = NamespaceListeners(server: server, options: options, logger: logger)
    }

    public func run() async throws {
        var plain: (any Channel)?
        if let listen = options.listen {
            plain = try await server.listen(host: listen.host, port: listen.port)
            logger.info("Serving metadata on a plain listener", metadata: [
                "address": "\(plain?.localAddress?.description ?? "")", "trusted_proxies": "\(options.trustedProxies.sorted())",
            ])
        }
        try await namespaces.run()
        try? await plain?.close()
        try await server.shutdown()
    }
}
