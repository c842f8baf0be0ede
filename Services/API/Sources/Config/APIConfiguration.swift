import Foundation
import ServiceKit

/// cirrus-api's own options, read from the shared configuration files.
///
/// - `[api] listen` (`127.0.0.1:8774`), `[api] public_url` (base of catalog URLs),
///   `[api] token_ttl` (seconds, 3600), `[api] region` (`RegionOne`)
/// - `[users] <name> = <password>,<project>,<role>`
/// - `[scheduler] max_attempts` (3), `[DEFAULT] instance_build_timeout` (seconds, 600; 0 disables)
public struct APIConfiguration: Sendable {
    public var listenHost = "127.0.0.1"
    public var listenPort = 8774
    public var publicURL = "http://127.0.0.1:8774"
    public var tokenTTL: Double = 3600
    public var region = "RegionOne"
    public var users: [UserAccount] = []
    public var maxAttempts = 3
    public var instanceBuildTimeout: Double = 600
    public var serviceDownTime: Double = 60
    public var statePath = "/var/lib/cirrus"

    public init() {}

    /// Reads the options; errors name the option and where it was set.
    public init(reader: CirrusConfigReader, base: CirrusConfiguration) throws {
        self.init()
        let listen = try reader.value("api.listen", default: "\(listenHost):\(listenPort)")
        guard let (host, port) = Self.parseListen(listen) else {
            throw reader.invalidValue("api.listen", expected: "host:port, e.g. 127.0.0.1:8774")
        }
        listenHost = host
        listenPort = port
        publicURL = try reader.value("api.public_url", default: "http://\(host):\(port)")
        while publicURL.hasSuffix("/") { publicURL.removeLast() }
        guard publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://") else {
            throw reader.invalidValue("api.public_url", expected: "an http:// or https:// URL")
        }
        tokenTTL = try reader.value("api.token_ttl", default: tokenTTL)
        guard tokenTTL > 0 else { throw reader.invalidValue("api.token_ttl", expected: "a positive number of seconds") }
        region = try reader.value("api.region", default: region)
        maxAttempts = try reader.value("scheduler.max_attempts", default: maxAttempts)
        guard maxAttempts >= 1 else { throw reader.invalidValue("scheduler.max_attempts", expected: "an integer >= 1") }
        instanceBuildTimeout = try reader.value("DEFAULT.instance_build_timeout", default: instanceBuildTimeout)
        guard instanceBuildTimeout >= 0 else {
            throw reader.invalidValue("DEFAULT.instance_build_timeout", expected: "a non-negative number of seconds")
        }
        serviceDownTime = base.default.serviceDownTime.seconds
        statePath = base.default.statePath
        for (name, option) in reader.options(inSection: "users").sorted(by: { $0.key < $1.key }) {
            switch UserAccount.parse(name: name, value: option.value) {
            case .success(let user): users.append(user)
            case .failure(let error):
                // Not `invalidValue`: that would print the password.
                throw APIConfigurationError(
                    message: "\(option.origin): invalid value for option users.\(name): \(error.message)")
            }
        }
    }

    /// `host:port` → parts; nil when malformed.
    public static func parseListen(_ value: String) -> (String, Int)? {
        guard let colon = value.lastIndex(of: ":") else { return nil }
        let host = String(value[..<colon])
        guard !host.isEmpty, let port = Int(value[value.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        return (host, port)
    }
}

/// A configuration problem that must not echo the offending value (passwords).
public struct APIConfigurationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
