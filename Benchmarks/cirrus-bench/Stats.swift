import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Monotonic nanoseconds.
@inline(__always)
func nowNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Latency summary of one run (microseconds) and its rate.
struct Summary: Codable, Sendable {
    var kind: String
    var count: Int
    var concurrency: Int
    var seconds: Double
    var ratePerSecond: Double
    var p50us: Double
    var p90us: Double
    var p99us: Double
    var p999us: Double
    var maxus: Double
    var extra: [String: Double] = [:]

    init(kind: String, latenciesNanos: [UInt64], concurrency: Int, elapsedNanos: UInt64) {
        var sorted = latenciesNanos
        sorted.sort()
        func pct(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let i = min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[i]) / 1000
        }
        self.kind = kind
        self.count = sorted.count
        self.concurrency = concurrency
        self.seconds = Double(elapsedNanos) / 1e9
        self.ratePerSecond = Double(sorted.count) / max(self.seconds, 1e-9)
        self.p50us = pct(0.50)
        self.p90us = pct(0.90)
        self.p99us = pct(0.99)
        self.p999us = pct(0.999)
        self.maxus = Double(sorted.last ?? 0) / 1000
    }

    func report() {
        let line = String(
            format: "%@: %d ops, concurrency %d, %.3f s, %.0f ops/s, p50 %.0f us, p90 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us",
            kind, count, concurrency, seconds, ratePerSecond, p50us, p90us, p99us, p999us, maxus)
        print(line)
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { print(String(format: "  %@: %.1f", k, v)) }
        let data = try! JSONEncoder().encode(self)
        print("RESULT " + String(decoding: data, as: UTF8.self))
        fflush(nil)
    }
}

/// CPU time of this process so far (user + system), seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
