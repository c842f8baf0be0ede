import Foundation
import SchedulerService
import Schemas

/// The decision alone (filters, weighers, claim and release on an in-memory ``HostTable``),
/// without the lock, SQLite or async hops: the floor under select_destinations.
enum DecisionRunner {
    static func run(hosts: [HostState], options: SchedulerOptions, requests: Int) throws -> Measurement {
        var table = HostTable(hosts: hosts, claims: [])
        let selector = try options.selector()
        let clock = ContinuousClock()
        var micros: [Double] = []
        micros.reserveCapacity(requests)
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        for i in 0..<requests {
            let t0 = clock.now
            let request = PlacementRequest(spec: SyntheticCloud.spec, now: Date().timeIntervalSince1970)
            guard case .ranked(let ranked) = selector.rank(table.hosts, spec: request, limit: 3) else {
                fatalError("no host in the decision run")
            }
            table.claim("decision-\(i)", hostAt: ranked[0], resources: request.resources, now: request.now)
            micros.append(Runner.seconds(clock.now - t0) * 1e6)
            table.release("decision-\(i)")
            table.journal.removeAll(keepingCapacity: true)
        }
        let cpu = threadCPUSeconds() - cpuStart
        print("decision only: \(String(format: "%.1f", cpu / Double(requests) * 1e6)) µs CPU per request (thread CPU time; wall figures include waiting for a core)")
        return Measurement(micros: micros, seconds: Runner.seconds(clock.now - start))
    }

    /// CPU time of the calling thread (immune to other processes competing for the cores).
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
