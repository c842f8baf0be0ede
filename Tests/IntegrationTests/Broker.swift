import Foundation
import Logging
import Messaging
import Testing

/// The real RabbitMQ the test harness (scripts/test.sh) started.
enum Broker {
    static let url: String? = ProcessInfo.processInfo.environment["CIRRUS_TEST_TRANSPORT_URL"]
    static var available: Bool { url != nil }

    static func transport(
        _ name: String, timeout: Double = 10, heartbeat: Int = 60, exchange: String = "cirrus"
    ) throws -> MessagingTransport {
        let parsed = try TransportURL(parsing: try #require(url))
        var log = Logger(label: "test.\(name)")
        log.logLevel = ProcessInfo.processInfo.environment["CIRRUS_TEST_DEBUG"] == nil ? .critical : .debug
        let amqp = AMQPConfiguration(
            transportURL: parsed, heartbeatSeconds: heartbeat, retryInterval: 0.2, retryMaximum: 1,
            connectionName: "cirrus-tests:\(getpid()):\(name)")
        return MessagingTransport(
            configuration: MessagingConfiguration(
                amqp: amqp, controlExchange: exchange, rpcResponseTimeout: timeout, missingConsumerRetryTimeout: 5),
            logger: log)
    }

    static func uniqueTopic(_ base: String) -> String {
        "\(base)_\(OutgoingRequest.newID().prefix(8))"
    }

    /// Runs `rabbitmqctl` against the harness's broker (for fault injection).
    static func rabbitmqctl(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        let ctl = ProcessInfo.processInfo.environment["CIRRUS_TEST_RABBITMQCTL"] ?? "rabbitmqctl"
        p.arguments = ["-c", ([ctl] + args).joined(separator: " ")]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}

/// Polls `condition` until true or `seconds` pass.
func eventually(_ seconds: Double = 10, _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Starts `server` in the background and returns once it consumes.
func start(_ server: RPCServer) async throws -> Task<Void, any Error> {
    let (ready, cont) = AsyncStream.makeStream(of: Void.self)
    let task = Task { try await server.run { cont.yield(); cont.finish() } }
    for await _ in ready { break }
    return task
}
