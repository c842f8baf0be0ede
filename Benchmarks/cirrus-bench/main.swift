import ArgumentParser
import Foundation
import Logging
import ServiceKit

// cirrus-bench: messaging benchmark (BENCHMARKS.md). Subcommands:
//   raw     librabbitmq request/reply floor (C API, no Cirrus code)
//   server  a Cirrus RPCServer (echo, tick cast, count) in its own process
//   call    Cirrus RPCClient.call throughput and latency, sequential or concurrent
//   cast    Cirrus RPCClient.cast with publisher confirms, plus end-to-end consumption
// Each measuring subcommand prints human-readable lines and one `RESULT {json}` line that
// Benchmarks/run-messaging-bench.sh collects.
// Dispatch by hand from a nonisolated async function: from top-level code the existential
// `run()` call resolved to ParsableCommand's synchronous default (which prints the help).
nonisolated func dispatch() async {
    do {
        var command = try CirrusBench.parseAsRoot()
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        CirrusBench.exit(withError: error)
    }
}

// The daemons' log handler (oslo line format on stderr), so per-request logger metadata costs
// what it costs in cirrus-compute or cirrus-scheduler.
LoggingSystem.bootstrap(CirrusLogging.handlerFactory(format: .oslo, level: .info, sink: FileDescriptorLogSink.standardError))
await dispatch()
