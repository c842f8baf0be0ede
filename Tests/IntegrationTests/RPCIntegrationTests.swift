import Foundation
import Messaging
import Testing

@Suite(.enabled(if: Broker.available, "needs CIRRUS_TEST_TRANSPORT_URL (scripts/test.sh starts RabbitMQ)"), .serialized)
struct RPCIntegrationTests {
    @Test func callCastAndPingBetweenProcesses() async throws {
        let topic = Broker.uniqueTopic("it_call")
        let serverSide = try Broker.transport("server")
        let clientSide = try Broker.transport("client")
        let rec = Recorder()
        let server = RPCServer(transport: serverSide, topic: topic, host: "h1", endpoints: [rec.endpoint()], logger: serverSide.logger)
        let task = try await start(server)
        let client = RPCClient(transport: clientSide, topic: topic, version: RPCVersion(1, 1))
        let ctx = RequestContext(userID: "u1", projectID: "p1")

        let echoed: JSONValue = try await client.call("echo", Value(value: ["a": [1, "x", nil]]), context: ctx)
        #expect(echoed == ["a": [1, "x", nil]])
        let pong: String = try await client.call(RPCDispatcher.pingMethod, Nothing(), context: ctx)
        #expect(pong == "pong")
        try await client.cast("record", Value(value: 7), context: ctx)
        try await client.prepare(server: "h1").cast("record", Value(value: 8), context: ctx)
        #expect(try await eventually { rec.all.count == 2 })
        #expect(Set(rec.all) == [7, 8])

        await server.stop()
        try await task.value
        await serverSide.shutdown()
        await clientSide.shutdown()
    }

    @Test func stopLetsHandlersInFlightFinishAndReply() async throws {
        let topic = Broker.uniqueTopic("it_stop")
        let (s, c) = (try Broker.transport("server"), try Broker.transport("client"))
        let rec = Recorder()
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [rec.endpoint()], logger: s.logger)
        let task = try await start(server)
        let client = RPCClient(transport: c, topic: topic)
        let call = Task { () -> String in try await client.call("sleep", Seconds(seconds: 0.8), context: RequestContext()) }
        try await Task.sleep(for: .milliseconds(300))  // the handler is sleeping now
        await server.stop()
        #expect(rec.all.isEmpty, "stop() returns at once; the handler is still sleeping")
        try await task.value  // returns only once the handler has finished
        #expect(rec.all == ["slept"])
        #expect(try await call.value == "slept")
        // Stopped: nothing consumes the topic any more, so a new call times out.
        let short = RPCClient(transport: c, topic: topic, timeout: 0.5)
        await #expect(throws: MessagingError.self) { let _: String = try await short.call("echo", Value(value: 1), context: RequestContext()) }
        await s.shutdown()
        await c.shutdown()
    }

    @Test func cancellingRunStopsTheServer() async throws {
        let topic = Broker.uniqueTopic("it_cancel")
        let s = try Broker.transport("server")
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [Recorder().endpoint()], logger: s.logger)
        let task = try await start(server)
        task.cancel()
        try await task.value
        await s.shutdown()
    }

    @Test func remoteErrorsAreTyped() async throws {
        let topic = Broker.uniqueTopic("it_err")
        let (s, c) = (try Broker.transport("server"), try Broker.transport("client"))
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [Recorder().endpoint()], logger: s.logger)
        let task = try await start(server)
        let ctx = RequestContext()
        let typed = RPCClient(transport: c, topic: topic, expectedErrors: [Boom.self])
        await #expect(throws: Boom.self) { let _: JSONValue = try await typed.call("boom", Value(value: 1), context: ctx) }
        let untyped = RPCClient(transport: c, topic: topic)
        do {
            let _: JSONValue = try await untyped.call("boom", Value(value: 2), context: ctx)
            Issue.record("expected an error")
        } catch let e as RemoteError {
            #expect(e.className == "Boom" && e.message == "boom 2" && e.module == "cirrus.exception")
        }
        await #expect(throws: UnsupportedVersion.self) {
            let _: JSONValue = try await untyped.call("echo", Value(value: 1), context: ctx, version: RPCVersion(1, 3))
        }
        await #expect(throws: UnsupportedVersion.self) {
            let _: JSONValue = try await untyped.call("echo", Value(value: 1), context: ctx, version: RPCVersion(2, 0))
        }
        await #expect(throws: NoSuchMethod.self) { let _: JSONValue = try await untyped.call("nope", Nothing(), context: ctx) }
        await server.stop()
        try await task.value
        await s.shutdown()
        await c.shutdown()
    }

    @Test func timeoutNamesTopicMethodAndMessageID() async throws {
        let c = try Broker.transport("client")
        let client = RPCClient(transport: c, topic: Broker.uniqueTopic("it_nobody"), timeout: 0.5)
        do {
            let _: JSONValue = try await client.call("echo", Value(value: 1), context: RequestContext())
            Issue.record("expected a timeout")
        } catch let MessagingError.timeout(topic, method, msgID, _) {
            #expect(topic.hasPrefix("it_nobody") && method == "echo" && msgID.count == 32)
        }
        await c.shutdown()
    }

    @Test func unroutableCallFailsAtOnceWhenAskedTo() async throws {
        let topic = Broker.uniqueTopic("it_unroutable")
        let (s, c) = (try Broker.transport("server"), try Broker.transport("client"))
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [Recorder().endpoint()], logger: s.logger)
        let task = try await start(server)
        // A timeout far beyond the test's run: only the broker's return can end these calls.
        var client = RPCClient(transport: c, topic: topic, timeout: 600)
        client.failIfUnroutable = true
        let ctx = RequestContext()
        let echoed: JSONValue = try await client.call("echo", Value(value: 1), context: ctx)
        #expect(echoed == 1, "a routable call is answered as usual")
        for target in [client.prepare(server: "no-such-host"), RPCClient(transport: c, topic: topic + "_nobody", timeout: 600)] {
            var t = target
            t.failIfUnroutable = true
            do {
                let _: JSONValue = try await t.call("echo", Value(value: 2), context: ctx)
                Issue.record("expected MessageUndeliverable")
            } catch let MessagingError.undeliverable(topic: routed, method: method, msgID: msgID, exchange: exchange) {
                #expect(routed == (t.server.map { "\(topic).\($0)" } ?? t.topic))
                #expect(method == "echo" && msgID.count == 32 && exchange == c.controlExchange)
            }
        }
        // The transport still works afterwards.
        let again: JSONValue = try await client.call("echo", Value(value: 3), context: ctx)
        #expect(again == 3)
        await server.stop()
        try await task.value
        await s.shutdown()
        await c.shutdown()
    }

    @Test func fanoutReachesEveryServer() async throws {
        let topic = Broker.uniqueTopic("it_fan")
        let (s1, s2, c) = (try Broker.transport("s1"), try Broker.transport("s2"), try Broker.transport("c"))
        let (r1, r2) = (Recorder(), Recorder())
        let a = RPCServer(transport: s1, topic: topic, host: "a", endpoints: [r1.endpoint()], logger: s1.logger)
        let b = RPCServer(transport: s2, topic: topic, host: "b", endpoints: [r2.endpoint()], logger: s2.logger)
        let (ta, tb) = (try await start(a), try await start(b))
        try await RPCClient(transport: c, topic: topic).cast("record", Value(value: "all"), context: RequestContext(), fanout: true)
        #expect(try await eventually { r1.all == ["all"] && r2.all == ["all"] })
        await a.stop()
        await b.stop()
        _ = try await (ta.value, tb.value)
        for t in [s1, s2, c] { await t.shutdown() }
    }

    @Test func callMonitorKeepsLongCallsAlive() async throws {
        let topic = Broker.uniqueTopic("it_mon")
        let (s, c) = (try Broker.transport("server"), try Broker.transport("client"))
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [Recorder().endpoint()], logger: s.logger)
        let task = try await start(server)
        // The call takes 2 s; without heartbeats the 0.6 s monitor would fail it.
        let client = RPCClient(transport: c, topic: topic, timeout: 10).prepare(callMonitorTimeout: 0.6)
        let r: String = try await client.call("sleep", Seconds(seconds: 2), context: RequestContext())
        #expect(r == "slept")
        await server.stop()
        try await task.value
        await s.shutdown()
        await c.shutdown()
    }

    @Test func manyConcurrentCallsAllAnswered() async throws {
        let topic = Broker.uniqueTopic("it_conc")
        let (s, c) = (try Broker.transport("server"), try Broker.transport("client"))
        let server = RPCServer(transport: s, topic: topic, host: "h1", endpoints: [Recorder().endpoint()], logger: s.logger)
        let task = try await start(server)
        let client = RPCClient(transport: c, topic: topic)
        let sum = try await withThrowingTaskGroup(of: Int64.self) { group in
            for i in 0..<500 {
                group.addTask {
                    let v: JSONValue = try await client.call("echo", Value(value: .int(Int64(i))), context: RequestContext())
                    guard case .int(let n) = v else { return -1 }
                    return n
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(sum == (0..<500).reduce(0, +))
        await server.stop()
        try await task.value
        await s.shutdown()
        await c.shutdown()
    }
}
