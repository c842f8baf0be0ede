import Foundation
import Logging
import Messaging
import SchedulerService
import Schemas

/// The same requests as calls over the real broker: an in-process RPC server with the
/// manager's endpoint on a private exchange and topic (so it cannot meet a running cloud's
/// `cirrus` exchange, whose flags may differ), and a client on a second connection.
enum AMQPRunner {
    static func run(manager: SchedulerManager, url: String, requests: Int, logger: Logger) async throws -> Measurement {
        let parsed = try TransportURL(parsing: url)
        func transport(_ name: String) -> MessagingTransport {
            MessagingTransport(
                configuration: MessagingConfiguration(
                    amqp: AMQPConfiguration(transportURL: parsed, heartbeatSeconds: 60, retryInterval: 0.2, retryMaximum: 1,
                                            connectionName: "cirrus-scheduler-bench:\(getpid()):\(name)"),
                    controlExchange: "cirrus_scheduler_bench", rpcResponseTimeout: 10),
                logger: logger)
        }
        let serverTransport = transport("server")
        let clientTransport = transport("client")
        let topic = "scheduler_bench_\(getpid())"
        let server = RPCServer(transport: serverTransport, topic: topic, host: "bench", endpoints: [manager.endpoint()], logger: logger)
        let (ready, signal) = AsyncStream.makeStream(of: Void.self)
        let serving = Task { try await server.run { signal.yield(); signal.finish() } }
        for await _ in ready { break }
        let client = RPCClient(transport: clientTransport, topic: topic, expectedErrors: [NoValidHost.self])
        let context = RequestContext.service("cirrus-scheduler-bench")
        let clock = ContinuousClock()
        var micros: [Double] = []
        let start = clock.now
        for i in 0..<(requests + 200) {
            let uuid = "amqp-\(i)"
            let args = SelectDestinationsArguments(spec: SyntheticCloud.spec, instanceUUIDs: [uuid])
            let t0 = clock.now
            let _: SelectDestinationsResult = try await client.call("select_destinations", args, context: context)
            let elapsed = clock.now - t0
            try await manager.releaseClaim(instanceUUID: uuid, logger: logger)
            if i >= 200 { micros.append(Runner.seconds(elapsed) * 1e6) }  // first 200: warm-up
        }
        let total = Runner.seconds(clock.now - start)
        await server.stop()
        try? await serving.value
        await serverTransport.shutdown()
        await clientTransport.shutdown()
        return Measurement(micros: micros, seconds: total * Double(requests) / Double(requests + 200))
    }
}
