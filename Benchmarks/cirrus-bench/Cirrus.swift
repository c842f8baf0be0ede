import Foundation
import Logging
import Messaging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

struct EchoArgs: Codable, Sendable { var value: String }
struct NoArgs: Codable, Sendable {}

enum CirrusSide {
    static func transport(url: String, name: String, timeout: Double = 30) throws -> MessagingTransport {
        let parsed = try TransportURL(parsing: url)
        var log = Logger(label: "cirrus.bench")
        log.logLevel = ProcessInfo.processInfo.environment["BENCH_DEBUG"] == nil ? .warning : .debug
        let amqp = AMQPConfiguration(transportURL: parsed, connectionName: "cirrus-bench:\(getpid()):\(name)")
        return MessagingTransport(
            configuration: MessagingConfiguration(amqp: amqp, controlExchange: "cirrus", rpcResponseTimeout: timeout),
            logger: log)
    }

    static let context = RequestContext(userID: "bench", projectID: "bench")

    /// Size of the AMQP body a Cirrus `echo` call puts on the wire (for the raw floor's payload).
    static func callBodyBytes() -> Int {
        let text = OutgoingRequest.message(
            method: "echo", argsJSON: "{\"value\":\"x\"}", version: RPCVersion(1, 0), namespace: nil, context: context,
            uniqueID: OutgoingRequest.newID(), msgID: OutgoingRequest.newID(), replyQueue: "reply_" + OutgoingRequest.newID())
        return OsloEnvelope.wrap(text).count
    }

    // MARK: server

    static func serve(url: String, topic: String, prefetch: Int, handlersOnConnectionThread: Bool) async throws {
        let transport = try transport(url: url, name: "server")
        let casts = Atomic<Int>(0)
        var endpoint = RPCEndpoint(version: RPCVersion(1, 0))
        endpoint.register("echo") { (_, a: EchoArgs) -> String in a.value }
        endpoint.register("tick") { (_, _: NoArgs) -> Void in
            casts.add(1, ordering: .relaxed)
        }
        endpoint.register("count") { (_, _: NoArgs) -> Int in casts.load(ordering: .relaxed) }
        endpoint.register("reset") { (_, _: NoArgs) -> Int in casts.exchange(0, ordering: .relaxed) }
        var log = Logger(label: "cirrus.bench.server")
        log.logLevel = .warning
        var options = RPCServer.Options()
        options.prefetch = UInt16(prefetch)
        options.handlersOnConnectionThread = handlersOnConnectionThread
        let server = RPCServer(
            transport: transport, topic: topic, host: "bench-host", endpoints: [endpoint], options: options, logger: log)
        // SIGTERM/SIGINT keep their default action: the process just ends (a graceful stop is
        // not what this process is for; the driver reads its RSS and kills it).
        try await server.run {
            print("READY pid=\(getpid())")
            fflush(nil)
        }
        await transport.shutdown()
    }

    // MARK: call

    static func call(
        url: String, topic: String, count: Int, concurrency: Int, warmup: Int, connections: Int
    ) async throws -> Summary {
        let transports = try (0..<max(connections, 1)).map { try transport(url: url, name: "call\($0)") }
        let clients = transports.map { RPCClient(transport: $0, topic: topic, version: RPCVersion(1, 0), timeout: 30) }
        let ctx = context
        let args = EchoArgs(value: "x")

        // Warm up: connections, reply queues, the server's consumers, the caches.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<concurrency {
                let client = clients[w % clients.count]
                // Callers run on their connection's thread, as latency-sensitive code should.
                group.addTask(executorPreference: client.transport.connection) {
                    for _ in 0..<max(warmup / concurrency, 1) {
                        let r: String = try await client.call("echo", args, context: ctx)
                        precondition(r == "x")
                    }
                }
            }
            try await group.waitForAll()
        }

        let per = count / concurrency
        let cpu0 = processCPUSeconds()
        let start = nowNanos()
        let all = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for w in 0..<concurrency {
                let client = clients[w % clients.count]
                // Callers run on their connection's thread, as latency-sensitive code should.
                group.addTask(executorPreference: client.transport.connection) {
                    var lat: [UInt64] = []
                    lat.reserveCapacity(per)
                    for _ in 0..<per {
                        let t0 = nowNanos()
                        let r: String = try await client.call("echo", args, context: ctx)
                        lat.append(nowNanos() - t0)
                        if r != "x" { throw CirrusBenchError("bad echo \(r)") }
                    }
                    return lat
                }
            }
            var merged: [UInt64] = []
            merged.reserveCapacity(per * concurrency)
            for try await l in group { merged += l }
            return merged
        }
        let elapsed = nowNanos() - start
        let cpu = processCPUSeconds() - cpu0
        var s = Summary(kind: concurrency == 1 ? "call" : "call-concurrent", latenciesNanos: all, concurrency: concurrency, elapsedNanos: elapsed)
        s.extra["client_cpu_us_per_call"] = cpu / Double(all.count) * 1e6
        s.extra["connections"] = Double(transports.count)
        for t in transports { await t.shutdown() }
        return s
    }

    // MARK: cast

    static func cast(
        url: String, topic: String, count: Int, concurrency: Int, drainTimeout: Double
    ) async throws -> Summary {
        let transport = try transport(url: url, name: "cast")
        let client = RPCClient(transport: transport, topic: topic, version: RPCVersion(1, 0), timeout: 30)
        let ctx = context
        // Warm up, then zero the server's counter.
        for _ in 0..<200 { try await client.cast("tick", NoArgs(), context: ctx) }
        try await waitForCount(client, atLeast: 200, timeout: drainTimeout)
        let _: Int = try await client.call("reset", NoArgs(), context: ctx)

        let per = count / concurrency
        let total = per * concurrency
        let cpu0 = processCPUSeconds()
        let start = nowNanos()
        let all = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<concurrency {
                group.addTask(executorPreference: transport.connection) {
                    var lat: [UInt64] = []
                    lat.reserveCapacity(per)
                    for _ in 0..<per {
                        let t0 = nowNanos()
                        try await client.cast("tick", NoArgs(), context: ctx)
                        lat.append(nowNanos() - t0)
                    }
                    return lat
                }
            }
            var merged: [UInt64] = []
            merged.reserveCapacity(total)
            for try await l in group { merged += l }
            return merged
        }
        let published = nowNanos() - start
        let cpu = processCPUSeconds() - cpu0
        let seen = try await waitForCount(client, atLeast: total, timeout: drainTimeout)
        let consumed = nowNanos() - start
        var s = Summary(kind: "cast", latenciesNanos: all, concurrency: concurrency, elapsedNanos: published)
        s.extra["consumed_per_s"] = Double(seen) / (Double(consumed) / 1e9)
        s.extra["consumed_count"] = Double(seen)
        s.extra["consumed_seconds"] = Double(consumed) / 1e9
        s.extra["client_cpu_us_per_cast"] = cpu / Double(total) * 1e6
        await transport.shutdown()
        if seen != total {
            print("WARNING: server counted \(seen) casts, expected \(total)")
        }
        return s
    }

    @discardableResult
    static func waitForCount(_ client: RPCClient, atLeast n: Int, timeout: Double) async throws -> Int {
        let deadline = nowNanos() + UInt64(timeout * 1e9)
        var last = 0
        while true {
            last = try await client.call("count", NoArgs(), context: context)
            if last >= n || nowNanos() > deadline { return last }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

struct CirrusBenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
