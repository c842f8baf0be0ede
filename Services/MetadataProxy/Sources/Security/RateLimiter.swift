import Synchronization

/// Per-instance token buckets: `rate` requests per second with bursts of `burst`. A cloud-init
/// boot (~28 requests) and cloud-init's retries stay far below the defaults (100/s, burst 200).
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var last: ContinuousClock.Instant
        var lastLogged: ContinuousClock.Instant?
    }

    public let rate: Double
    public let burst: Double
    private let buckets = Mutex([String: Bucket]())

    /// `rate` ≤ 0 disables limiting.
    public init(rate: Double = 100, burst: Double = 200) {
        self.rate = rate
        self.burst = max(1, burst)
    }

    public enum Decision: Sendable, Equatable {
        case allow
        /// Refused; `log` is true at most once a second per instance (the caller logs then).
        case limit(log: Bool)
    }

    public func admit(_ key: String, now: ContinuousClock.Instant = .now) -> Decision {
        guard rate > 0 else { return .allow }
        return buckets.withLock { m in
            if m.count > 50_000 { m = m.filter { now - $0.value.last < .seconds(burst / rate + 1) } }
            var b = m[key] ?? Bucket(tokens: burst, last: now)
            let elapsed = now - b.last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            b.tokens = min(burst, b.tokens + seconds * rate)
            b.last = now
            defer { m[key] = b }
            if b.tokens >= 1 {
                b.tokens -= 1
                return .allow
            }
            let log = b.lastLogged.map { now - $0 >= .seconds(1) } ?? true
            if log { b.lastLogged = now }
            return .limit(log: log)
        }
    }
}
