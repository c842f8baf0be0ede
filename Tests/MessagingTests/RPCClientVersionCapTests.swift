import Foundation
import Testing

@testable import Messaging

/// The version cap is checked before any I/O. The transport points at a port where nothing
/// listens; its connection thread just retries quietly until `shutdown()`.
@Suite(.timeLimit(.minutes(1))) struct RPCClientVersionCapTests {
    struct Args: Codable, Sendable { var host: String }

    static func withTransport(_ body: (MessagingTransport) async throws -> Void) async throws {
        let url = try TransportURL(parsing: "rabbit://guest:guest@127.0.0.1:1/")
        let transport = MessagingTransport(
            configuration: MessagingConfiguration(
                amqp: AMQPConfiguration(transportURL: url, retryInterval: 0.05, retryMaximum: 0.2, connectionName: "messaging-tests"),
                rpcResponseTimeout: 42),
            logger: silentLogger)
        do {
            try await body(transport)
        } catch {
            await transport.shutdown()
            throw error
        }
        await transport.shutdown()
    }

    @Test func withoutACapEveryVersionMayBeSent() async throws {
        try await Self.withTransport { transport in
            let client = RPCClient(transport: transport, topic: "compute")
            for v in [RPCVersion(1, 0), RPCVersion(6, 5), RPCVersion(99, 0, 1)] {
                #expect(client.canSendVersion(v))
            }
        }
    }

    @Test func canSendVersionFollowsOslosCapRule() async throws {
        try await Self.withTransport { transport in
            let client = RPCClient(transport: transport, topic: "compute", versionCap: RPCVersion(5, 11))
            let allowed = [RPCVersion(5, 0), RPCVersion(5, 10), RPCVersion(5, 11)]
            let refused = [RPCVersion(5, 12), RPCVersion(6, 0), RPCVersion(4, 99), RPCVersion(5, 11, 1)]
            for v in allowed { #expect(client.canSendVersion(v), "\(v) under cap 5.11") }
            for v in refused { #expect(!client.canSendVersion(v), "\(v) under cap 5.11") }
            let revisionCap = RPCClient(transport: transport, topic: "compute", versionCap: RPCVersion(1, 3, 2))
            #expect(revisionCap.canSendVersion(RPCVersion(1, 3, 1)))
            #expect(!revisionCap.canSendVersion(RPCVersion(1, 3, 3)))
        }
    }

    @Test func callAboveTheCapThrowsBeforeSending() async throws {
        try await Self.withTransport { transport in
            let client = RPCClient(transport: transport, topic: "compute", versionCap: RPCVersion(1, 3))
            await #expect(throws: MessagingError.versionCap(method: "build", requested: RPCVersion(1, 4), cap: RPCVersion(1, 3))) {
                _ = try await client.call("build", Args(host: "h"), context: RequestContext(), version: RPCVersion(1, 4), returning: String.self)
            }
            await #expect(throws: MessagingError.versionCap(method: "build", requested: RPCVersion(2, 0), cap: RPCVersion(1, 3))) {
                _ = try await client.callJSON("build", args: [:], context: RequestContext(), version: RPCVersion(2, 0))
            }
            #expect(!transport.connection.isConnected)
        }
    }

    @Test func castAboveTheCapThrowsBeforeSending() async throws {
        try await Self.withTransport { transport in
            let client = RPCClient(transport: transport, topic: "compute", versionCap: RPCVersion(1, 3))
            await #expect(throws: MessagingError.versionCap(method: "reboot", requested: RPCVersion(1, 5), cap: RPCVersion(1, 3))) {
                try await client.cast("reboot", Args(host: "h"), context: RequestContext(), version: RPCVersion(1, 5))
            }
            await #expect(throws: MessagingError.versionCap(method: "refresh", requested: RPCVersion(2, 0), cap: RPCVersion(1, 3))) {
                try await client.cast("refresh", Args(host: "h"), context: RequestContext(), version: RPCVersion(2, 0), fanout: true)
            }
        }
    }

    @Test func clientVersionAndPreparedVersionAreCapped() async throws {
        try await Self.withTransport { transport in
            let client = RPCClient(transport: transport, topic: "compute", version: RPCVersion(6, 0), versionCap: RPCVersion(5, 11))
            await #expect(throws: MessagingError.versionCap(method: "m", requested: RPCVersion(6, 0), cap: RPCVersion(5, 11))) {
                try await client.cast("m", Args(host: "h"), context: RequestContext())
            }
            let prepared = RPCClient(transport: transport, topic: "compute", versionCap: RPCVersion(5, 11)).prepare(version: RPCVersion(5, 12))
            await #expect(throws: MessagingError.versionCap(method: "m", requested: RPCVersion(5, 12), cap: RPCVersion(5, 11))) {
                _ = try await prepared.call("m", Args(host: "h"), context: RequestContext(), returning: Int.self)
            }
        }
    }

    @Test func argumentsThatAreNotAnObjectAreRefusedBeforeSending() async throws {
        try await Self.withTransport { transport in
            let client = RPCClient(transport: transport, topic: "compute")
            await #expect(throws: MessagingError.self) {
                try await client.cast("m", [1, 2, 3], context: RequestContext())
            }
        }
    }

    @Test func prepareReturnsAnAdjustedCopy() async throws {
        try await Self.withTransport { transport in
            let client = RPCClient(transport: transport, topic: "compute", version: RPCVersion(5, 0), versionCap: RPCVersion(5, 11))
            #expect(client.timeout == 42, "defaults to rpc_response_timeout")
            let prepared = client.prepare(server: "host1", version: RPCVersion(5, 11), timeout: 1800, callMonitorTimeout: 60)
            #expect(prepared.server == "host1")
            #expect(prepared.version == RPCVersion(5, 11))
            #expect(prepared.timeout == 1800)
            #expect(prepared.callMonitorTimeout == 60)
            #expect(prepared.versionCap == RPCVersion(5, 11))
            #expect(prepared.topic == "compute")
            #expect(client.server == nil && client.version == RPCVersion(5, 0) && client.callMonitorTimeout == nil)
            let unchanged = prepared.prepare()
            #expect(unchanged.server == "host1" && unchanged.timeout == 1800)
        }
    }

    @Test func dispatchErrorsAreAlwaysExpected() async throws {
        try await Self.withTransport { transport in
            let client = RPCClient(transport: transport, topic: "compute", timeout: 5)
            let names = client.expectedErrors.map { $0.remoteClassName }
            #expect(names.contains("UnsupportedVersion"))
            #expect(names.contains("NoSuchMethod"))
            #expect(client.timeout == 5)
        }
    }

    @Test func versionCapErrorSaysWhatToDo() {
        let text = MessagingError.versionCap(method: "build", requested: RPCVersion(6, 1), cap: RPCVersion(6, 0)).description
        #expect(text.contains("RPCVersionCapError"))
        #expect(text.contains("6.1") && text.contains("6.0") && text.contains("build"))
    }
}
