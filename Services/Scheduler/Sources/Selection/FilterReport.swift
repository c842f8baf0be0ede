/// How many hosts each step removed when no host fitted: the text of `NoValidHost`.
public struct FilterReport: Sendable, Equatable {
    /// One step (`ignore_hosts`, `force_hosts` or a filter) and the hosts it removed.
    public struct Removal: Sendable, Equatable {
        public var step: String
        public var count: Int

        public init(step: String, count: Int) {
            self.step = step
            self.count = count
        }
    }

    /// Hosts the scheduler knew when it decided.
    public var hostCount: Int
    /// Steps that removed at least one host, in the order they ran.
    public var removals: [Removal]

    public init(hostCount: Int, removals: [Removal]) {
        self.hostCount = hostCount
        self.removals = removals
    }

    /// Hosts left after every step.
    public var remaining: Int { hostCount - removals.reduce(0) { $0 + $1.count } }

    /// `12 hosts: ComputeFilter removed 2, RAMFilter removed 10, 0 remain.`, or, with no host
    /// known, a hint that no compute host has reported.
    public var reason: String {
        guard hostCount > 0 else {
            return "0 hosts: no compute hosts have reported to the scheduler; check that cirrus-compute runs and reaches the message broker."
        }
        let steps = removals.map { "\($0.step) removed \($0.count)" }
        let head = hostCount == 1 ? "1 host" : "\(hostCount) hosts"
        return "\(head): " + (steps + ["\(remaining) remain."]).joined(separator: ", ")
    }
}
