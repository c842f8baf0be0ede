import ArgumentParser
import Foundation
import Messaging

/// `cirrus rpc ping <topic>[.<host>]`: round trips of oslo's `oslo_rpc_server_ping`.
struct RPCPingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping", abstract: "Ping the RPC servers of a topic (or one host's).")

    @Argument(help: "Topic, or topic.host (e.g. conductor, compute.node1).")
    var target: String

    @Option(name: .shortAndLong, help: "Number of pings.")
    var count = 4

    @Option(help: "Seconds to wait for each reply.")
    var timeout = 5.0

    @OptionGroup var bus: BusOptions

    func validate() throws {
        guard count >= 1 && count <= 100_000 else { throw ValidationError("--count must be 1-100000") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let transport = try bus.transport(timeout: timeout)
        try await bus.requireBroker(transport, within: timeout)
        let (topic, server) = BusOptions.splitTarget(target)
        var client = RPCClient(transport: transport, topic: topic, server: server, timeout: timeout)
        client.failIfUnroutable = true  // a topic nothing serves is reported at once
        var times: [Double] = []
        for i in 1...count {
            let context = RequestContext(userID: "cirrus-cli")
            let start = ContinuousClock.now
            do {
                let _: String = try await client.call(RPCDispatcher.pingMethod, [String: String](), context: context)
                let ms = Double((ContinuousClock.now - start).components.attoseconds) / 1e15
                    + Double((ContinuousClock.now - start).components.seconds) * 1000
                times.append(ms)
                print("pong from \(target): seq=\(i) time=\(String(format: "%.2f", ms)) ms \(context.requestID)")
            } catch {
                print("no reply from \(target): seq=\(i) \(error)")
            }
        }
        await transport.shutdown()
        let sorted = times.sorted()
        let lost = count - times.count
        print("--- \(target) ping statistics ---")
        print("\(count) sent, \(times.count) received, \(lost * 100 / count)% lost", terminator: "")
        if let first = sorted.first, let last = sorted.last {
            let avg = sorted.reduce(0, +) / Double(sorted.count)
            print(String(format: "; rtt min/avg/max = %.2f/%.2f/%.2f ms", first, avg, last))
        } else {
            print("")
        }
        if lost > 0 { throw ExitCode(1) }
    }
}
