/// Reconnect delays: exponential from `initial` doubling up to `maximum`, each with random
/// jitter (a delay is drawn from [d/2, d]) so that many services don't reconnect in lockstep.
public struct Backoff: Sendable {
    public var initial: Double
    public var maximum: Double
    private(set) var attempt = 0

    public init(initial: Double = 1, maximum: Double = 30) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The un-jittered delay of the next attempt.
    public var nominalDelay: Double {
        min(maximum, initial * Double(1 << min(attempt, 30)))
    }

    /// The delay before the next attempt, in seconds, and moves on.
    public mutating func next<G: RandomNumberGenerator>(using rng: inout G) -> Double {
        let d = nominalDelay
        attempt += 1
        return Double.random(in: (d / 2)...d, using: &rng)
    }

    public mutating func next() -> Double {
        var g = SystemRandomNumberGenerator()
        return next(using: &g)
    }

    /// Starts again from `initial` (after a successful connection).
    public mutating func reset() { attempt = 0 }
}
