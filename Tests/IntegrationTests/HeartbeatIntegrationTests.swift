import Foundation
import Messaging
import Testing

@Suite(.enabled(if: Broker.available, "needs CIRRUS_TEST_TRANSPORT_URL"))
struct HeartbeatIntegrationTests {
    /// An idle connection sees only heartbeat frames, which librabbitmq consumes itself; the
    /// connection must not take that silence for a dead broker.
    @Test func anIdleConnectionStaysConnectedPastTwoHeartbeats() async throws {
        let transport = try Broker.transport("idle-heartbeat", heartbeat: 1)
        await transport.connection.waitUntilConnected()
        try await Task.sleep(for: .milliseconds(3500))
        #expect(transport.connection.isConnected)
        #expect(transport.connection.connectCount == 1)
        await transport.shutdown()
    }
}
