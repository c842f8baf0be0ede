/// What password authentication needs, resolved from flags, `OS_*` variables and clouds.yaml.
public struct Credentials: Sendable, Equatable {
    public var authURL: String
    public var username: String
    public var password: String
    public var projectName: String?
    public var projectID: String?
    public var userDomainName: String?
    public var userDomainID: String?
    public var projectDomainName: String?
    public var projectDomainID: String?
    public var regionName: String?
    /// Catalog interface: `public` unless set (`publicURL` is accepted and means `public`).
    public var interface: String

    /// The option keys, in clouds.yaml spelling; `OS_<KEY>` is the environment variable.
    public static let keys = [
        "auth_url", "username", "password", "project_name", "project_id", "user_domain_name",
        "user_domain_id", "project_domain_name", "project_domain_id", "region_name", "interface",
    ]

    /// Builds credentials from merged settings (clouds.yaml keys), checking the required ones.
    public init(settings s: [String: String]) throws {
        func required(_ key: String) throws -> String {
            guard let v = s[key], !v.isEmpty else {
                let flag = key.replacingOccurrences(of: "_", with: "-")
                throw CLIError(
                    "Missing value \(flag) required for auth plugin password: set OS_\(key.uppercased()), pass --os-\(flag), or choose a cloud from clouds.yaml with --os-cloud / OS_CLOUD.")
            }
            return v
        }
        authURL = try required("auth_url")
        username = try required("username")
        password = try required("password")
        projectName = s["project_name"].flatMap { $0.isEmpty ? nil : $0 }
        projectID = s["project_id"].flatMap { $0.isEmpty ? nil : $0 }
        if projectName == nil && projectID == nil { _ = try required("project_name") }
        userDomainName = s["user_domain_name"]
        userDomainID = s["user_domain_id"]
        projectDomainName = s["project_domain_name"]
        projectDomainID = s["project_domain_id"]
        regionName = s["region_name"].flatMap { $0.isEmpty ? nil : $0 }
        var iface = s["interface"] ?? "public"
        if iface.hasSuffix("URL") { iface.removeLast(3) }
        interface = iface.isEmpty ? "public" : iface
    }

    /// Resolves credentials as openstackclient does: command-line flags win over `OS_*` environment
    /// variables, which win over the chosen cloud's entry in clouds.yaml (`--os-cloud`, else `OS_CLOUD`).
    public static func resolve(
        flags: [String: String], cloud: String?, environment: [String: String], clouds: CloudsFile?
    ) throws -> Credentials {
        var settings: [String: String] = [:]
        let cloudName = cloud ?? environment["OS_CLOUD"].flatMap { $0.isEmpty ? nil : $0 }
        if let cloudName {
            guard let clouds else {
                throw CLIError("Cloud \(cloudName) was not found: no clouds.yaml in \(CloudsFile.searchPaths.joined(separator: ", ")).")
            }
            settings = try clouds.settings(forCloud: cloudName)
        }
        for key in keys {
            if let v = environment["OS_" + key.uppercased()], !v.isEmpty { settings[key] = v }
        }
        for (k, v) in flags { settings[k] = v }
        return try Credentials(settings: settings)
    }
}
