import Foundation
import Logging
import Messaging
import Schemas
import ServiceKit
import Synchronization
import Testing

/// The service heartbeat against a real broker: what it logs while the conductor has not
/// started yet, once it answers, and once it is gone again.
@Suite(.enabled(if: Broker.available, "needs CIRRUS_TEST_TRANSPORT_URL"))
struct HeartbeatServiceIntegrationTests {
    @Test func logsConductorNotYetUpThenReachedThenLost() async throws {
        // An exchange of its own: no other test's conductor answers these heartbeats.
        let exchange = "it_hb_\(OutgoingRequest.newID().prefix(8))"
        let service = try Broker.transport("hb-service", exchange: exchange)
        let conductorSide = try Broker.transport("hb-conductor", exchange: exchange)
        let lines = LogLines()
        let heartbeat = HeartbeatService(
            conductor: ConductorRPCAPI(transport: service), binary: "cirrus-test", host: "h1", topic: "test",
            interval: 0.2, logger: Logger(label: "test.heartbeat") { _ in lines })
        let running = Task { try await heartbeat.run() }

        // No conductor queue yet: the first report times out (after 1 s, its floor).
        #expect(try await eventually { lines.messages.contains("Cannot reach conductor yet for reporting service status") })

        var endpoint = RPCEndpoint(version: RPCVersion(1, 2))
        let reports = Atomic<Int>(0)
        endpoint.register("report_state") { (_, _: ReportStateArguments) -> ServiceStateReply in
            reports.add(1, ordering: .relaxed)
            return ServiceStateReply()
        }
        let server = RPCServer(
            transport: conductorSide, topic: ConductorAPI.topic, host: "c1", endpoints: [endpoint], logger: conductorSide.logger)
        let serving = try await start(server)
        #expect(try await eventually { lines.messages.contains("Conductor reached, reporting service status") })
        #expect(reports.load(ordering: .relaxed) >= 1)

        await server.stop()
        try await serving.value
        #expect(try await eventually { lines.messages.contains("Lost connection to conductor for reporting service status") })
        // Each state change is logged once, not every interval.
        #expect(lines.messages.filter { $0.hasPrefix("Cannot reach") }.count == 1)
        #expect(!lines.messages.contains("Service status reporting recovered"))

        running.cancel()
        _ = try? await running.value
        try? await conductorSide.connection.deleteQueue(ConductorAPI.topic)
        await service.shutdown()
        await conductorSide.shutdown()
    }
}

/// Log messages recorded in order (any level).
private final class LogLines: LogHandler, @unchecked Sendable {  // state behind its own lock
    private let lock = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var messages: [String] { lock.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { $0.append(event.message.description) }
    }
}
