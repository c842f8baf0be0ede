import Foundation
import Logging
import Messaging
@testable import MetadataProxyService
import Schemas
import Synchronization
import Testing

/// Against a real RabbitMQ (`CIRRUS_TEST_TRANSPORT_URL`, e.g. from `scripts/rabbitmq.sh start
/// --port 5693`): a fake conductor on topic `conductor`, the proxy asking it over RPC and
/// receiving `metadata` fanout casts, then the conductor stopped.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CIRRUS_TEST_TRANSPORT_URL"] != nil,
                             "set CIRRUS_TEST_TRANSPORT_URL to run against RabbitMQ"))
struct BrokerTests {
    static func transport(_ exchange: String, _ name: String) throws -> MessagingTransport {
        let url = try TransportURL(parsing: try #require(ProcessInfo.processInfo.environment["CIRRUS_TEST_TRANSPORT_URL"]))
        let amqp = AMQPConfiguration(transportURL: url, heartbeatSeconds: 60, retryInterval: 0.2, retryMaximum: 1,
                                     connectionName: "md-tests:\(getpid()):\(name)")
        return MessagingTransport(
            configuration: MessagingConfiguration(amqp: amqp, controlExchange: exchange, rpcResponseTimeout: 5, missingConsumerRetryTimeout: 1),
            logger: TestSupport.logger)
    }

    static func start(_ server: RPCServer) async throws -> Task<Void, any Error> {
        let (ready, cont) = AsyncStream.makeStream(of: Void.self)
        let task = Task { try await server.run { cont.yield(); cont.finish() } }
        for await _ in ready { break }
        return task
    }

    @Test func conductorLookupFanoutUpdatesAndConductorDown() async throws {
        let exchange = "mdtest_\(UUID().uuidString.prefix(8).lowercased())"
        let conductorTransport = try Self.transport(exchange, "conductor")
        let proxyTransport = try Self.transport(exchange, "proxy")
        let apiTransport = try Self.transport(exchange, "api")
        let model = Mutex([Fixtures.instance(1), Fixtures.instance(2)])

        var conductor = RPCEndpoint(version: RPCVersion(1, 2))
        conductor.register("get_instance_metadata") { (_: RPCRequest, a: GetInstanceMetadataArguments) in
            GetInstanceMetadataResult(instance: model.withLock { m in
                m.first { AddressKey.all(of: $0).contains(AddressKey(networkID: a.networkID, ip: a.ipAddress)) }
            })
        }
        conductor.register("list_instance_metadata") { (_: RPCRequest, a: ListInstanceMetadataArguments) in
            ListInstanceMetadataResult(instances: model.withLock { m in
                Array(m.sorted { $0.uuid < $1.uuid }.filter { a.marker == nil || $0.uuid > a.marker! }.prefix(a.limit))
            })
        }
        let conductorServer = RPCServer(transport: conductorTransport, topic: "conductor", host: "fake", endpoints: [conductor],
                                        logger: TestSupport.logger)
        let conductorTask = try await Self.start(conductorServer)

        let source = ConductorInstanceSource(conductor: ConductorRPCAPI(transport: proxyTransport), timeout: 2)
        let service = try await MetadataRuntime.make(
            options: MetadataOptions(), store: try MetadataStore.inMemory(), source: source, logger: TestSupport.logger)
        let proxyServer = RPCServer(transport: proxyTransport, topic: MetadataAPI.topic, host: "node1",
                                    endpoints: [MetadataManager(resolver: service.resolver).endpoint()], logger: TestSupport.logger)
        let proxyTask = try await Self.start(proxyServer)

        @Sendable func get(_ path: String, _ ip: String = "10.0.0.4") async -> MetadataResponse {
            await TestSupport.run(service, MetadataRequest(
                method: "GET", target: path, peer: ip, listener: .namespace(networkID: Fixtures.networkID)))
        }

        #expect(await get("/latest/meta-data/instance-id").text == "i-0000002b")
        #expect(await get("/latest/meta-data/instance-id", "10.0.0.99").status == 404)
        try await service.resolver.refill()
        #expect(service.resolver.directory.count == 2)

        // cirrus-api fans out a change: the proxy serves it without asking.
        var changed = Fixtures.instance(1, revision: 9)
        changed.flavorName = "m1.xlarge"
        let api = MetadataRPCAPI(transport: apiTransport)
        try await api.instanceMetadataUpdate([changed], context: .service("test"))
        #expect(try await eventually { await get("/latest/meta-data/instance-type").text == "m1.xlarge" })
        try await api.instanceMetadataDelete([Fixtures.instance(2).uuid], context: .service("test"))
        #expect(try await eventually { service.resolver.directory.revision(of: Fixtures.instance(2).uuid) == nil })

        // The conductor (cirrus-api) goes down: known instances are still served, unknown → 503.
        await conductorServer.stop()
        _ = try? await conductorTask.value
        #expect(await get("/latest/meta-data/instance-type").text == "m1.xlarge")
        #expect(await get("/openstack/latest/meta_data.json").status == 200)
        #expect(await get("/latest/meta-data/instance-id", "10.0.0.98").status == 503)

        await proxyServer.stop()
        _ = try? await proxyTask.value
        for t in [conductorTransport, proxyTransport, apiTransport] { await t.shutdown() }
    }

    func eventually(_ seconds: Double = 10, _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }
}
