import Foundation
import Messaging
import Synchronization
import Testing

/// At-least-once casts, duplicates, poison messages, reconnects: against the real broker.
@Suite(.enabled(if: Broker.available, "needs CIRRUS_TEST_TRANSPORT_URL (scripts/test.sh starts RabbitMQ)"), .serialized)
struct DeliveryIntegrationTests {
    @Test func castWaitsInDurableQueueUntilAServerComes() async throws {
        let topic = Broker.uniqueTopic("it_durable")
        let s = try Broker.transport("server")
        let rec = Recorder()
        // A server declares its queues once, then goes away (crash, restart).
        let first = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [Recorder().endpoint()], logger: s.logger)
        let t1 = try await start(first)
        await first.stop()
        try await t1.value
        let c = try Broker.transport("client")
        try await RPCClient(transport: c, topic: topic).cast("record", Value(value: "kept"), context: RequestContext())
        let second = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [rec.endpoint()], logger: s.logger)
        let t2 = try await start(second)
        #expect(try await eventually { rec.all == ["kept"] })
        await second.stop()
        try await t2.value
        await s.shutdown()
        await c.shutdown()
    }

    @Test func failingCastIsRetriedThenSucceeds() async throws {
        let topic = Broker.uniqueTopic("it_retry")
        let (s, c) = (try Broker.transport("server"), try Broker.transport("client"))
        let rec = Recorder()
        rec.failuresLeft.withLock { $0 = 2 }
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [rec.endpoint()], logger: s.logger)
        let task = try await start(server)
        try await RPCClient(transport: c, topic: topic).cast("flaky_record", Value(value: 1), context: RequestContext())
        #expect(try await eventually { rec.all == [1] })
        await server.stop()
        try await task.value
        await s.shutdown()
        await c.shutdown()
    }

    @Test func poisonMessagesAreDeadLetteredAndTheServerStaysUp() async throws {
        let topic = Broker.uniqueTopic("it_poison")
        let (s, c) = (try Broker.transport("server"), try Broker.transport("client"))
        let rec = Recorder()
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [rec.endpoint()], logger: s.logger)
        let task = try await start(server)
        let bodies = [
            "not json at all", "{\"no\": \"envelope or method\"}", "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{broken\"}",
            "{\"oslo.version\": \"9.0\", \"oslo.message\": \"{}\"}", "[1, 2, 3]", "",
        ]
        for b in bodies {
            try await c.connection.publishConfirmed(OutgoingMessage(exchange: "cirrus", routingKey: topic, body: Data(b.utf8)))
        }
        let client = RPCClient(transport: c, topic: topic)
        // Unknown method, unknown version, bad arguments and an always-failing handler, as casts.
        try await client.cast("nope", Value(value: 1), context: RequestContext())
        try await client.cast("record", Value(value: 1), context: RequestContext(), version: RPCVersion(7, 0))
        try await client.cast("record", Seconds(seconds: 1), context: RequestContext())
        try await client.cast("boom", Value(value: 1), context: RequestContext())
        // ... and the server still answers.
        let echoed: JSONValue = try await client.call("echo", Value(value: "alive"), context: RequestContext())
        #expect(echoed == "alive")
        #expect(rec.all.isEmpty)

        // Each poison message is in the dead-letter queue under its routing key.
        let seen = DeadLetters()
        let tag = try await c.connection.consume(queue: "cirrus.dead_letters", noAck: false) { d in
            seen.add(d.routingKey)
            c.connection.ack(d)
        }
        #expect(try await eventually(15) { seen.count(topic) == bodies.count + 4 })
        try await c.connection.cancel(consumerTag: tag)
        await server.stop()
        try await task.value
        await s.shutdown()
        await c.shutdown()
    }

    @Test func duplicateMessagesAreHandledOnce() async throws {
        let topic = Broker.uniqueTopic("it_dup")
        let (s, c) = (try Broker.transport("server"), try Broker.transport("client"))
        let rec = Recorder()
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [rec.endpoint()], logger: s.logger)
        let task = try await start(server)
        let text = OutgoingRequest.message(
            method: "record", argsJSON: "{\"value\": 5}", version: nil, namespace: nil, context: RequestContext(),
            uniqueID: OutgoingRequest.newID())
        for _ in 0..<3 {
            try await c.connection.publishConfirmed(OutgoingMessage(exchange: "cirrus", routingKey: topic, body: OsloEnvelope.wrap(text)))
        }
        let _: JSONValue = try await RPCClient(transport: c, topic: topic).call("echo", Value(value: 0), context: RequestContext())
        try await Task.sleep(for: .milliseconds(200))
        #expect(rec.all == [5])
        await server.stop()
        try await task.value
        await s.shutdown()
        await c.shutdown()
    }

    @Test func serversAndClientsSurviveALostConnection() async throws {
        let topic = Broker.uniqueTopic("it_reconnect")
        let (s, c) = (try Broker.transport("server"), try Broker.transport("client"))
        let rec = Recorder()
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [rec.endpoint()], logger: s.logger)
        let task = try await start(server)
        let client = RPCClient(transport: c, topic: topic, timeout: 10)
        let before: JSONValue = try await client.call("echo", Value(value: 1), context: RequestContext())
        #expect(before == 1)
        let (sBefore, cBefore) = (s.connection.connectCount, c.connection.connectCount)
        s.connection.dropConnectionForTesting()
        c.connection.dropConnectionForTesting()
        // Queues, bindings and consumers are declared again on the new connections.
        #expect(try await eventually(15) {
            s.connection.connectCount > sBefore && c.connection.connectCount > cBefore
                && s.connection.isConnected && c.connection.isConnected
        })
        let after: JSONValue = try await client.call("echo", Value(value: 2), context: RequestContext())
        #expect(after == 2)
        try await client.cast("record", Value(value: 3), context: RequestContext(), fanout: true)
        #expect(try await eventually { rec.all == [3] })
        await server.stop()
        try await task.value
        await s.shutdown()
        await c.shutdown()
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CIRRUS_TEST_RABBITMQCTL"] != nil, "needs CIRRUS_TEST_RABBITMQCTL"))
    func brokerClosingConnectionsIsSurvived() async throws {
        let topic = Broker.uniqueTopic("it_brokerclose")
        let (s, c) = (try Broker.transport("server"), try Broker.transport("client"))
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [Recorder().endpoint()], logger: s.logger)
        let task = try await start(server)
        let (sBefore, cBefore) = (s.connection.connectCount, c.connection.connectCount)
        _ = try Broker.rabbitmqctl(["close_all_connections", "'cirrus test'"])
        #expect(try await eventually(15) {
            s.connection.connectCount > sBefore && c.connection.connectCount > cBefore
                && s.connection.isConnected && c.connection.isConnected
        })
        let v: JSONValue = try await RPCClient(transport: c, topic: topic, timeout: 10).call("echo", Value(value: 9), context: RequestContext())
        #expect(v == 9)
        await server.stop()
        try await task.value
        await s.shutdown()
        await c.shutdown()
    }

    @Test func notificationsReachAListenerThatAcksAfterHandling() async throws {
        let (s, c) = (try Broker.transport("listener"), try Broker.transport("notifier"))
        let topic = Broker.uniqueTopic("it_notify")
        let got = DeadLetters()
        let listener = NotificationListener(transport: s, topics: [topic], priorities: [.info], logger: s.logger) { n in
            got.add("\(n.eventType)|\(n.publisherID)|\(n.priority)|\(n.payload.serialized())|\(n.context.userID ?? "")")
        }
        let task = Task { try await listener.run() }
        try await Task.sleep(for: .milliseconds(300))
        try await Notifier(transport: c, publisherID: "compute.host1", topics: [topic])
            .notify("compute.instance.create.end", payload: ["instance_id": "abc"] as JSONValue, context: RequestContext(userID: "u9"))
        #expect(try await eventually { got.count("compute.instance.create.end|compute.host1|INFO|{\"instance_id\": \"abc\"}|u9") == 1 })
        await listener.stop()
        try await task.value
        await s.shutdown()
        await c.shutdown()
    }
}

final class DeadLetters: Sendable {
    private let keys = Synchronization.Mutex<[String]>([])
    func add(_ k: String) { keys.withLock { $0.append(k) } }
    func count(_ k: String) -> Int { keys.withLock { $0.filter { $0 == k }.count } }
}
