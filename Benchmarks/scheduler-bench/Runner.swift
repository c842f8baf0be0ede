import Foundation
import Logging
import SchedulerService
import Schemas

/// Latency samples of one scenario.
struct Measurement {
    var micros: [Double]
    var seconds: Double

    func percentile(_ p: Double) -> Double {
        let sorted = micros.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    func row(_ name: String, hosts: Int) -> String {
        let ops = Double(micros.count) / seconds
        return String(
            format: "| %@ | %d | %d | %.0f | %.0f | %.0f | %.0f |", name, hosts, micros.count, percentile(0.5),
            percentile(0.99), micros.max() ?? 0, ops)
    }
}

/// Drives the manager directly; every select is followed by a release so capacity stays.
enum Runner {
    static func sequential(_ manager: SchedulerManager, requests: Int, tag: String, logger: Logger) async throws -> Measurement {
        var micros: [Double] = []
        micros.reserveCapacity(requests)
        let clock = ContinuousClock()
        let start = clock.now
        for i in 0..<requests {
            micros.append(try await once(manager, uuid: "\(tag)-\(i)", clock: clock, logger: logger))
        }
        return Measurement(micros: micros, seconds: seconds(clock.now - start))
    }

    static func concurrent(
        _ manager: SchedulerManager, requests: Int, concurrency: Int, tag: String, logger: Logger
    ) async throws -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        let micros = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var local: [Double] = []
                    for i in stride(from: worker, to: requests, by: concurrency) {
                        local.append(try await once(manager, uuid: "\(tag)-\(i)", clock: clock, logger: logger))
                    }
                    return local
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        return Measurement(micros: micros, seconds: seconds(clock.now - start))
    }

    /// One timed select_destinations (claim written to SQLite) and an untimed release.
    static func once(_ manager: SchedulerManager, uuid: String, clock: ContinuousClock, logger: Logger) async throws -> Double {
        let args = SelectDestinationsArguments(spec: SyntheticCloud.spec, instanceUUIDs: [uuid])
        let t0 = clock.now
        let result = try await manager.selectDestinations(args, logger: logger)
        let elapsed = clock.now - t0
        precondition(result.selections[0].count == 3, "expected a host and 2 alternates")
        try await manager.releaseClaim(instanceUUID: uuid, logger: logger)
        return seconds(elapsed) * 1e6
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
