import Foundation
import Yams

/// A parsed clouds.yaml (merged with secure.yaml when one sits next to it), as openstacksdk reads it.
public struct CloudsFile: Sendable, Equatable {
    /// Where clouds.yaml is looked for, first found wins (`OS_CLIENT_CONFIG_FILE` overrides).
    public static let searchPaths = ["./clouds.yaml", "~/.config/openstack/clouds.yaml", "/etc/openstack/clouds.yaml"]

    /// File the clouds came from (for error messages).
    public var path: String
    /// cloud name → flattened settings (`auth:` keys and top-level keys such as `region_name`).
    public var clouds: [String: [String: String]]

    /// Parses clouds.yaml text; `secure` is an optional secure.yaml whose values are merged in.
    public init(path: String, yaml: String, secure: String? = nil) throws {
        self.path = path
        clouds = try CloudsFile.parse(yaml, path: path)
        if let secure {
            for (name, values) in try CloudsFile.parse(secure, path: "secure.yaml") {
                clouds[name, default: [:]].merge(values) { _, new in new }
            }
        }
    }

    /// The settings of one cloud, or the error openstacksdk gives.
    public func settings(forCloud name: String) throws -> [String: String] {
        guard let s = clouds[name] else {
            let known = clouds.keys.sorted().joined(separator: ", ")
            throw CLIError("Cloud \(name) was not found in \(path) (clouds: \(known.isEmpty ? "none" : known)).")
        }
        return s
    }

    private static func parse(_ yaml: String, path: String) throws -> [String: [String: String]] {
        let root: Any?
        do { root = try Yams.load(yaml: yaml) } catch {
            throw CLIError("Cannot parse \(path): \(error)")
        }
        guard let doc = root as? [String: Any], let clouds = doc["clouds"] as? [String: Any] else {
            throw CLIError("\(path) has no 'clouds:' mapping.")
        }
        var out: [String: [String: String]] = [:]
        for (name, body) in clouds {
            guard let body = body as? [String: Any] else { continue }
            var flat: [String: String] = [:]
            for (k, v) in body where !(v is [String: Any]) { flat[k] = scalar(v) }
            if let auth = body["auth"] as? [String: Any] {
                for (k, v) in auth { flat[k] = scalar(v) }
            }
            out[name] = flat
        }
        return out
    }

    private static func scalar(_ v: Any) -> String {
        if let s = v as? String { return s }
        return "\(v)"
    }

    /// Finds and loads the clouds.yaml the client would use, or nil when there is none.
    public static func load(environment: [String: String]) throws -> CloudsFile? {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func expand(_ p: String) -> String { p.hasPrefix("~/") ? home + p.dropFirst(1) : p }
        let candidates = environment["OS_CLIENT_CONFIG_FILE"].map { [$0] } ?? searchPaths.map(expand)
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError("Cannot read \(path).")
        }
        let securePath = (path as NSString).deletingLastPathComponent + "/secure.yaml"
        let secure = try? String(contentsOfFile: securePath, encoding: .utf8)
        return try CloudsFile(path: path, yaml: text, secure: secure)
    }
}
