import Foundation
import Logging
import Testing

@testable import Messaging

@Suite struct DeadlineTests {
    struct Late: Error {}

    @Test func returnsTheOperationsResult() async throws {
        let v = try await withDeadline(seconds: 5, onTimeout: { Late() }) { 42 }
        #expect(v == 42)
        await #expect(throws: CancellationError.self) {
            try await withDeadline(seconds: 5, onTimeout: { Late() }) { () async throws -> Int in throw CancellationError() }
        }
    }

    @Test func throwsOnTimeoutWhileTheOperationStillWaits() async {
        let start = ContinuousClock.now
        await #expect(throws: Late.self) {
            try await withDeadline(seconds: 0.1, onTimeout: { Late() }) {
                try? await Task.sleep(for: .seconds(30))  // an uncancellable wait, as on a dead broker
                return 1
            }
        }
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func cancellationEndsTheWait() async {
        let waiting = Task {
            try await withDeadline(seconds: 30, onTimeout: { Late() }) {
                try? await Task.sleep(for: .seconds(30))
                return 1
            }
        }
        try? await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }

    /// With the broker gone, a call fails with the documented timeout instead of waiting for
    /// the broker to come back (its first call declares the exchange and reply queue).
    @Test func aCallWithNoBrokerTimesOut() async throws {
        var log = Logger(label: "test")
        log.logLevel = .critical
        let amqp = AMQPConfiguration(transportURL: try TransportURL(parsing: "rabbit://u:p@127.0.0.1:1/"), connectionName: "deadline-test")
        let transport = MessagingTransport(configuration: MessagingConfiguration(amqp: amqp), logger: log)
        let client = RPCClient(transport: transport, topic: "nobody", timeout: 0.5)
        let start = ContinuousClock.now
        do {
            let _: String = try await client.call("echo", ["value": "x"], context: RequestContext())
            Issue.record("the call should have timed out")
        } catch let error as MessagingError {
            guard case .timeout(let topic, let method, _, _) = error else {
                Issue.record("expected a timeout, got \(error)")
                return
            }
            #expect(topic == "nobody" && method == "echo")
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        await transport.shutdown()
    }

    /// Failed connection attempts are counted with the last reason, naming the broker, so
    /// operators' tools can say why the bus is unreachable instead of timing out.
    @Test func failedConnectsAreCountedWithTheirReason() async throws {
        var log = Logger(label: "test")
        log.logLevel = .critical
        let amqp = AMQPConfiguration(
            transportURL: try TransportURL(parsing: "rabbit://u:p@127.0.0.1:1/"), retryInterval: 0.1, retryMaximum: 0.2,
            connectionName: "refused-test")
        let connection = AMQPConnection(configuration: amqp, logger: log)
        #expect(connection.connectFailures.count == 0 || connection.connectFailures.lastError != nil)
        let deadline = ContinuousClock.now + .seconds(10)
        while connection.connectFailures.count < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let failures = connection.connectFailures
        #expect(failures.count >= 2, "retried with back-off")
        #expect(failures.lastError?.hasPrefix("cannot connect to AMQP server 127.0.0.1:1: ") == true)
        #expect(!connection.isConnected)
        await connection.shutdown()
    }

    /// A server told to stop while its declarations wait for a broker that is down returns
    /// from `run()` (a daemon stopped in that state must not hang), and so does a cancelled one.
    @Test func aServerStoppedBeforeItsBrokerCameUpReturns() async throws {
        var log = Logger(label: "test")
        log.logLevel = .critical
        let amqp = AMQPConfiguration(transportURL: try TransportURL(parsing: "rabbit://u:p@127.0.0.1:1/"), connectionName: "stop-test")
        let transport = MessagingTransport(configuration: MessagingConfiguration(amqp: amqp), logger: log)
        for cancel in [false, true] {
            let server = RPCServer(transport: transport, topic: "t", host: "h", endpoints: [], logger: log)
            let running = Task { try await server.run() }
            try await Task.sleep(for: .milliseconds(100))
            if cancel { running.cancel() } else { await server.stop() }
            try await running.value
        }
        await transport.shutdown()
    }
}
