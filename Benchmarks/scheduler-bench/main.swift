import Foundation
import Logging
import Messaging
import SchedulerService
import Schemas
import Storage

// cirrus-scheduler-bench: select_destinations latency at N synthetic hosts, in process (the
// manager directly, claims written to a WAL SQLite file) and, with --transport-url, over AMQP.
//
//   cirrus-scheduler-bench [--hosts 1000] [--requests 20000] [--concurrency 4]
//                          [--transport-url rabbit://guest:guest@127.0.0.1:5680/]

let settings = BenchSettings(arguments: CommandLine.arguments)
var logger = Logger(label: "cirrus-scheduler-bench")
logger.logLevel = .warning

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cirrus-scheduler-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
let database = try SchedulerDatabase.open(statePath: directory)
let manager = try await SchedulerManager(database: database, logger: logger)
for index in 0..<settings.hosts {
    try await manager.updateHostState(SyntheticCloud.report(index), logger: logger)
}

print("cirrus-scheduler-bench: \(settings.hosts) hosts, \(settings.requests) requests, SQLite at \(directory)")
print("")
print("| scenario | hosts | requests | p50 µs | p99 µs | max µs | ops/s |")
print("|---|---|---|---|---|---|---|")

// Warm-up (page in code, grow the SQLite file).
_ = try await Runner.sequential(manager, requests: min(2_000, settings.requests), tag: "warm", logger: logger)
let decision = try DecisionRunner.run(hosts: manager.hosts, options: manager.options, requests: settings.requests)
print(decision.row("decision only (filters + weighers + claim, no lock/SQLite)", hosts: settings.hosts))
let sequential = try await Runner.sequential(manager, requests: settings.requests, tag: "seq", logger: logger)
print(sequential.row("select_destinations, in process, sequential", hosts: settings.hosts))
let concurrent = try await Runner.concurrent(
    manager, requests: settings.requests, concurrency: settings.concurrency, tag: "conc", logger: logger)
print(concurrent.row("select_destinations, in process, \(settings.concurrency) concurrent", hosts: settings.hosts))

if let url = settings.transportURL {
    let amqp = try await AMQPRunner.run(manager: manager, url: url, requests: min(settings.requests, 5_000), logger: logger)
    print(amqp.row("select_destinations over AMQP (call), sequential", hosts: settings.hosts))
}
let leftover = manager.claims.count
if leftover != 0 { print("warning: \(leftover) claims left after the runs") }
