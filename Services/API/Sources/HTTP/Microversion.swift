import Foundation

/// Compute API microversion negotiation: Cirrus implements exactly 2.1. Pure.
public enum Microversion {
    public static let current = "2.1"

    /// The version a request asks for, from `OpenStack-API-Version: compute X.Y` or
    /// `X-OpenStack-Nova-API-Version: X.Y`; nil when it asks for none.
    public static func requested(openStackAPIVersion: String?, novaAPIVersion: String?) -> String? {
        if let header = openStackAPIVersion {
            for item in header.split(separator: ",") {
                let parts = item.split(separator: " ", omittingEmptySubsequences: true)
                if parts.count == 2, parts[0].lowercased() == "compute" { return String(parts[1]) }
            }
        }
        return novaAPIVersion?.trimmingCharacters(in: .whitespaces)
    }

    /// Nil when `requested` is acceptable (absent, `latest`, or 2.1), else the 406 message.
    public static func refusal(_ requested: String?) -> String? {
        guard let requested, requested.lowercased() != "latest" else { return nil }
        let parts = requested.split(separator: ".")
        if parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) {
            if major == 2 && minor == 1 { return nil }
            return "Version \(requested) is not supported by the API. Minimum is 2.1 and maximum is 2.1."
        }
        return "Invalid API version request '\(requested)'; use a version like 2.1 or 'latest'."
    }
}
