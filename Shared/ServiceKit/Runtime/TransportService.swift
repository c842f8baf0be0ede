import Logging
import Messaging
import ServiceLifecycle

/// Owns a process's ``MessagingTransport`` in a `ServiceGroup`: listed first, so it is shut
/// down last, after the RPC servers have finished their requests in flight.
public struct TransportService: Service {
    public let transport: MessagingTransport

    public init(transport: MessagingTransport) {
        self.transport = transport
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await transport.shutdown()
    }
}
