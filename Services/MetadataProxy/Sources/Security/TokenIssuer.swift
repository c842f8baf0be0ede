import Foundation
import Synchronization

/// IMDSv2 session tokens: random, bound to one instance, valid for 1–21600 s, kept in memory
/// (a restart asks guests to get a new one, as an AWS 401 does).
public final class TokenIssuer: Sendable {
    public static let ttlRange = 1...21600

    public enum Check: Sendable, Equatable {
        case valid
        case invalid
    }

    struct Grant {
        var instanceID: String
        var expires: ContinuousClock.Instant
    }

    private let grants = Mutex([String: Grant]())
    /// Bound on live tokens; expired ones are dropped first, then the oldest.
    public let capacity: Int

    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// The TTL header's value when it is a whole number in 1...21600.
    public static func ttl(_ header: String?) -> Int? {
        guard let header, let v = Int(header.trimmingCharacters(in: .whitespaces)), ttlRange.contains(v) else { return nil }
        return v
    }

    public func issue(instanceID: String, ttl: Int, now: ContinuousClock.Instant = .now) -> String {
        var g = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        for _ in 0..<4 { withUnsafeBytes(of: g.next() as UInt64) { bytes += $0 } }
        let token = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        grants.withLock { m in
            if m.count >= capacity {
                m = m.filter { $0.value.expires > now }
                if m.count >= capacity, let oldest = m.min(by: { $0.value.expires < $1.value.expires }) { m[oldest.key] = nil }
            }
            m[token] = Grant(instanceID: instanceID, expires: now + .seconds(ttl))
        }
        return token
    }

    /// Whether `token` was issued to `instanceID` and has not expired.
    public func check(_ token: String, instanceID: String, now: ContinuousClock.Instant = .now) -> Check {
        grants.withLock { m in
            guard let g = m[token] else { return .invalid }
            if g.expires <= now {
                m[token] = nil
                return .invalid
            }
            return g.instanceID == instanceID ? .valid : .invalid
        }
    }

    public var count: Int { grants.withLock { $0.count } }
}
