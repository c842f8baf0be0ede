import Testing

@testable import Messaging

@Suite struct BackoffTests {
    @Test func nominalDelaysDoubleUpToTheMaximum() {
        var backoff = Backoff()
        var rng = SplitMix64(seed: 1)
        var nominal: [Double] = []
        for _ in 0..<9 {
            nominal.append(backoff.nominalDelay)
            _ = backoff.next(using: &rng)
        }
        #expect(nominal == [1, 2, 4, 8, 16, 30, 30, 30, 30])
    }

    @Test func customInitialAndMaximum() {
        var backoff = Backoff(initial: 0.5, maximum: 5)
        var rng = SplitMix64(seed: 2)
        var nominal: [Double] = []
        for _ in 0..<7 {
            nominal.append(backoff.nominalDelay)
            _ = backoff.next(using: &rng)
        }
        #expect(nominal == [0.5, 1, 2, 4, 5, 5, 5])
    }

    @Test func jitteredDelayIsWithinHalfToFull() {
        var backoff = Backoff()
        var rng = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let d = backoff.nominalDelay
            let delay = backoff.next(using: &rng)
            #expect(delay >= d / 2 && delay <= d, "\(delay) not in [\(d / 2), \(d)]")
        }
    }

    @Test func jitterSpreadsDelays() {
        var rng = SplitMix64(seed: 7)
        var draws: [Double] = []
        for _ in 0..<200 {
            var backoff = Backoff(initial: 8, maximum: 30)
            draws.append(backoff.next(using: &rng))
        }
        #expect(draws.allSatisfy { (4...8).contains($0) })
        #expect(draws.min()! < 4.5)
        #expect(draws.max()! > 7.5)
        #expect(Set(draws).count > 150)
    }

    @Test func delaysComeFromTheGivenGenerator() {
        var backoff = Backoff()
        var rng = CountingGenerator(SplitMix64(seed: 5))
        for _ in 0..<5 { _ = backoff.next(using: &rng) }
        #expect(rng.draws >= 5)
    }

    @Test func sameSeedSameDelays() {
        func delays(seed: UInt64) -> [Double] {
            var backoff = Backoff()
            var rng = SplitMix64(seed: seed)
            return (0..<10).map { _ in backoff.next(using: &rng) }
        }
        #expect(delays(seed: 99) == delays(seed: 99))
        #expect(delays(seed: 99) != delays(seed: 100))
    }

    @Test func resetStartsAgainFromInitial() {
        var backoff = Backoff()
        var rng = SplitMix64(seed: 3)
        for _ in 0..<6 { _ = backoff.next(using: &rng) }
        #expect(backoff.nominalDelay == 30)
        backoff.reset()
        #expect(backoff.nominalDelay == 1)
        #expect(backoff.attempt == 0)
        let delay = backoff.next(using: &rng)
        #expect(delay >= 0.5 && delay <= 1)
        #expect(backoff.nominalDelay == 2)
    }

    @Test func manyAttemptsNeverOverflow() {
        var backoff = Backoff(initial: 1, maximum: 30)
        var rng = SplitMix64(seed: 4)
        for _ in 0..<200 { _ = backoff.next(using: &rng) }
        #expect(backoff.attempt == 200)
        #expect(backoff.nominalDelay == 30)
        #expect((15...30).contains(backoff.next(using: &rng)))
    }

    @Test func systemRandomVariantStaysInRange() {
        var backoff = Backoff(initial: 2, maximum: 30)
        let delay = backoff.next()
        #expect(delay >= 1 && delay <= 2)
        #expect(backoff.nominalDelay == 4)
    }
}
