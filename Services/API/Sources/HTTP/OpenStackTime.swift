import Foundation

/// Timestamps the way each OpenStack API prints them (UTC). Pure.
public enum OpenStackTime {
    /// `2025-01-31T12:00:00Z` (Nova servers, Glance images).
    public static func iso(_ date: Date) -> String { format(date, fraction: false, zulu: true) }
    /// `2025-01-31T12:00:00.000000Z` (Keystone tokens).
    public static func keystone(_ date: Date) -> String { format(date, fraction: true, zulu: true) }
    /// `2025-01-31T12:00:00.000000` (Nova services, instance actions).
    public static func nova(_ date: Date) -> String { format(date, fraction: true, zulu: false) }

    static func format(_ date: Date, fraction: Bool, zulu: Bool) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ width: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var out = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))"
        out += "T\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))"
        if fraction { out += "." + pad(Int32(micros), 6) }
        if zulu { out += "Z" }
        return out
    }
}
