import Foundation

/// Nova's servicegroup rule: a service is up when it reported within `service_down_time`
/// and is not forced down. Pure.
public enum ServiceLiveness {
    public static func isUp(lastSeen: Date?, forcedDown: Bool, now: Date, serviceDownTime: Double) -> Bool {
        guard !forcedDown, let lastSeen else { return false }
        return now.timeIntervalSince(lastSeen) <= serviceDownTime
    }
}
