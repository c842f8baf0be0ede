import ArgumentParser
import Foundation

struct CirrusBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cirrus-bench",
        abstract: "Messaging benchmark: raw librabbitmq floor and Cirrus RPC call/cast.",
        subcommands: [Raw.self, RawResponder.self, Server.self, Call.self, Cast.self, Codec.self, Size.self])
}

struct Common: ParsableArguments {
    @Option(name: .customLong("transport-url"), help: "rabbit://user:pass@host:port/vhost")
    var transportURL: String = "rabbit://guest:guest@127.0.0.1:5672/"
}

extension CirrusBench {
    struct Raw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "librabbitmq request/reply round trip (the floor).")
        @OptionGroup var common: Common
        @Option var count = 20_000
        @Option var warmup = 1_000
        @Option(name: .customLong("payload-bytes"), help: "Request body size; default: a Cirrus echo call's body size.")
        var payloadBytes: Int?
        @Flag(name: .customLong("oslo-topology"), help: "Durable topic exchange and queue, per-message TTL, mandatory replies (what an oslo call costs the broker).")
        var osloTopology = false
        @Flag(name: .customLong("responder-process"), help: "Run the responder as a process of its own (as a Cirrus server is) instead of a thread of this one.")
        var responderProcess = false

        mutating func run() async throws {
            let bytes = payloadBytes ?? CirrusSide.callBodyBytes()
            let url = common.transportURL, count = count, warmup = warmup, oslo = osloTopology, proc = responderProcess
            // Blocking C calls: keep them off the cooperative pool.
            let s = try await withCheckedThrowingContinuation { (c: CheckedContinuation<Summary, any Error>) in
                let t = Thread { c.resume(with: Result { try RawFloor.run(url: url, count: count, warmup: warmup, payloadBytes: bytes, osloTopology: oslo, responderProcess: proc) }) }
                t.start()
            }
            s.report()
        }
    }

    struct RawResponder: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "raw-responder", abstract: "The raw floor's responder alone (used by raw --responder-process).")
        @OptionGroup var common: Common
        @Option var queue: String
        @Flag(name: .customLong("oslo-topology")) var osloTopology = false

        func run() throws { try RawFloor.serveResponder(url: common.transportURL, queue: queue, osloTopology: osloTopology) }
    }

    struct Server: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cirrus RPCServer with echo/tick/count/reset; prints READY.")
        @OptionGroup var common: Common
        @Option var topic = "cirrus_bench"
        @Option var prefetch = 64
        @Flag(name: .customLong("handlers-on-pool"), help: "Run handlers on the shared concurrency pool, as the daemons do (default here: on the connection thread).")
        var handlersOnPool = false

        mutating func run() async throws {
            try await CirrusSide.serve(url: common.transportURL, topic: topic, prefetch: prefetch, handlersOnConnectionThread: !handlersOnPool)
        }
    }

    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cirrus RPCClient.call echo: calls/s and latency.")
        @OptionGroup var common: Common
        @Option var topic = "cirrus_bench"
        @Option var count = 20_000
        @Option var concurrency = 1
        @Option var warmup = 1_000
        @Option(help: "Client transports (AMQP connections) the callers are spread over.")
        var connections = 1

        mutating func run() async throws {
            let s = try await CirrusSide.call(
                url: common.transportURL, topic: topic, count: count, concurrency: max(concurrency, 1), warmup: warmup,
                connections: connections)
            s.report()
        }
    }

    struct Cast: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cirrus RPCClient.cast with publisher confirms.")
        @OptionGroup var common: Common
        @Option var topic = "cirrus_bench"
        @Option var count = 20_000
        @Option(help: "Casts awaiting their confirm at once.")
        var concurrency = 64
        @Option(name: .customLong("drain-timeout")) var drainTimeout = 60.0

        mutating func run() async throws {
            let s = try await CirrusSide.cast(
                url: common.transportURL, topic: topic, count: count, concurrency: max(concurrency, 1), drainTimeout: drainTimeout)
            s.report()
        }
    }

    struct Codec: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "CPU cost of the oslo wire format per call (no broker).")
        @Option var count = 20_000
        func run() throws { try CodecCost.run(count: count) }
    }

    struct Size: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the AMQP body size of a Cirrus echo call.")
        func run() { print(CirrusSide.callBodyBytes()) }
    }
}
