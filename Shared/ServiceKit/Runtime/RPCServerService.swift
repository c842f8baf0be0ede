import Foundation
import Logging
import Messaging
import ServiceLifecycle

/// Runs an ``RPCServer`` in a `ServiceGroup`: on SIGTERM/SIGINT it stops consuming, lets
/// the handlers in flight finish and reply, then returns.
public struct RPCServerService: Service {
    public let server: RPCServer

    public init(server: RPCServer) {
        self.server = server
    }

    public func run() async throws {
        let server = self.server
        try await withGracefulShutdownHandler {
            try await server.run()
        } onGracefulShutdown: {
            Task { await server.stop() }
        }
    }
}
