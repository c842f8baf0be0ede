import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The proxy's HTTP/1.1 server: one event loop group serving every listener (the plain one
/// and one per `qdhcp-` namespace), each channel remembering which network it serves.
public final class MetadataHTTPServer: Sendable {
    public let service: MetadataService
    public let group: MultiThreadedEventLoopGroup
    /// Idle keep-alive connections are closed after this long.
    public let idleTimeout: TimeAmount

    public init(service: MetadataService, threads: Int, idleTimeout: TimeAmount = .seconds(60)) {
        self.service = service
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        self.idleTimeout = idleTimeout
    }

    func bootstrap(_ listener: MetadataRequest.Listener) -> ServerBootstrap {
        let service = self.service
        let idle = idleTimeout
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    try ops.addHandler(IdleStateHandler(readTimeout: idle))
                    try ops.configureHTTPServerPipeline(withErrorHandling: true)
                    try ops.addHandler(MetadataHTTPHandler(service: service, listener: listener))
                }
            }
    }

    /// Listens on a plain address (`[metadata] listen`); port 0 picks one (see `localAddress`).
    public func listen(host: String, port: Int) async throws -> any Channel {
        try await bootstrap(.plain).bind(host: host, port: port).get()
    }

    /// Serves an already bound and listening socket made inside a namespace.
    public func adopt(socket: CInt, networkID: String) async throws -> any Channel {
        try await bootstrap(.namespace(networkID: networkID)).withBoundSocket(socket).get()
    }

    public func shutdown() async throws {
        try await group.shutdownGracefully()
    }
}
