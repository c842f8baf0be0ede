import ArgumentParser
import Foundation

/// openstackclient's `--os-*` options; each falls back to its `OS_*` variable, then clouds.yaml.
struct CloudOptions: ParsableArguments {
    @Option(name: .customLong("os-cloud"), help: "Cloud name in clouds.yaml (env: OS_CLOUD).")
    var cloud: String?

    @Option(name: .customLong("os-auth-url"), help: "Identity endpoint, with or without /v3 (env: OS_AUTH_URL).")
    var authURL: String?

    @Option(name: .customLong("os-username"), help: "User name (env: OS_USERNAME).")
    var username: String?

    @Option(name: .customLong("os-password"), help: "Password (env: OS_PASSWORD).")
    var password: String?

    @Option(name: .customLong("os-project-name"), help: "Project name (env: OS_PROJECT_NAME).")
    var projectName: String?

    @Option(name: .customLong("os-user-domain-name"), help: "User's domain (env: OS_USER_DOMAIN_NAME).")
    var userDomainName: String?

    @Option(name: .customLong("os-project-domain-name"), help: "Project's domain (env: OS_PROJECT_DOMAIN_NAME).")
    var projectDomainName: String?

    @Option(name: .customLong("os-region-name"), help: "Region (env: OS_REGION_NAME).")
    var regionName: String?

    @Option(name: .customLong("os-interface"), help: "Endpoint interface: public, internal, admin (env: OS_INTERFACE).")
    var interface: String?

    /// The flags given, keyed like clouds.yaml.
    var flags: [String: String] {
        let pairs: [(String, String?)] = [
            ("auth_url", authURL), ("username", username), ("password", password), ("project_name", projectName),
            ("user_domain_name", userDomainName), ("project_domain_name", projectDomainName),
            ("region_name", regionName), ("interface", interface),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { k, v in v.map { (k, $0) } })
    }

    /// Resolves credentials and logs in.
    func connect(transport: any HTTPTransport = URLSessionTransport()) async throws -> APIClient {
        let env = ProcessInfo.processInfo.environment
        let needClouds = cloud != nil || !(env["OS_CLOUD"] ?? "").isEmpty
        let credentials = try Credentials.resolve(
            flags: flags, cloud: cloud, environment: env, clouds: needClouds ? try CloudsFile.load(environment: env) : nil)
        return try await Identity.authenticate(credentials, transport: transport)
    }
}
