import Foundation
import Messaging

/// The body of `POST /servers`, built from already-resolved ids (pure, so it is tested directly).
public struct ServerCreateRequest: Sendable {
    public var name: String
    public var imageID: String
    public var flavorID: String
    public var keyName: String?
    /// Resolved `--network` / `--nic` entries, in order.
    public var nics: [NICSpec] = []
    public var userData: Data?
    public var properties: [String: String] = [:]
    public var availabilityZone: String?
    public var securityGroups: [String] = []

    public init(name: String, imageID: String, flavorID: String, keyName: String? = nil) {
        self.name = name
        self.imageID = imageID
        self.flavorID = flavorID
        self.keyName = keyName
    }

    /// `networks`: `"none"`/`"auto"`, or `[{"uuid", "fixed_ip"?} | {"port"}]`; nil when no NIC was asked for.
    public func networks() throws -> JSONValue? {
        if nics.isEmpty { return nil }
        if nics.contains(.none) || nics.contains(.auto) {
            guard nics.count == 1 else {
                throw CLIError("--nic none and --nic auto cannot be combined with other --nic or --network options.")
            }
            return nics[0] == .none ? "none" : "auto"
        }
        return .array(nics.map { nic -> JSONValue in
            switch nic {
            case .network(let id, let ip):
                var o: [String: JSONValue] = ["uuid": .string(id)]
                if let ip { o["fixed_ip"] = .string(ip) }
                return .object(o)
            case .port(let id): return ["port": .string(id)]
            case .none, .auto: return .null
            }
        })
    }

    /// Nova's limit on `user_data`: 65535 bytes once base64-encoded.
    public static let userDataLimit = 65535

    /// The base64 text of user data, or a clear error when Nova would refuse it as too large.
    public static func encodeUserData(_ data: Data, file: String) throws -> String {
        let encoded = data.base64EncodedString()
        guard encoded.utf8.count <= userDataLimit else {
            throw CLIError(
                "User data file '\(file)' is too large: \(data.count) bytes are \(encoded.utf8.count) bytes in base64, "
                    + "over the compute API's limit of \(userDataLimit) (at most \(userDataLimit / 4 * 3) bytes of data).")
        }
        return encoded
    }

    /// The whole request body.
    public func body() throws -> JSONValue {
        var s: [String: JSONValue] = [
            "name": .string(name), "imageRef": .string(imageID), "flavorRef": .string(flavorID),
            "min_count": 1, "max_count": 1,
        ]
        if let keyName { s["key_name"] = .string(keyName) }
        if let n = try networks() { s["networks"] = n }
        if let userData { s["user_data"] = .string(userData.base64EncodedString()) }
        if !properties.isEmpty { s["metadata"] = .object(properties.mapValues { .string($0) }) }
        if let availabilityZone { s["availability_zone"] = .string(availabilityZone) }
        if !securityGroups.isEmpty { s["security_groups"] = .array(securityGroups.map { ["name": .string($0)] }) }
        return ["server": .object(s)]
    }
}
