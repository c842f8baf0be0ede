import Foundation
import Logging
import Messaging
import ServiceLifecycle

/// Runs an ``RPCServer`` in a `ServiceGroup`: on SIGTERM/SIGINT it stops consuming, lets
/// the handlers in flight finish and reply, then returns.
public struct RPCServerService: Service {
    public let server: RPCServer
    /// Signalled once the server's consumers are live.
    public let ready: ReadySignal?

    public init(server: RPCServer, ready: ReadySignal? = nil) {
        self.server = server
        self.ready = ready
    }

    public func run() async throws {
        let server = self.server
        let ready = self.ready
        try await withGracefulShutdownHandler {
            try await server.run(onReady: { ready?.signal() })
        } onGracefulShutdown: {
            Task { await server.stop() }
        }
    }
}
