import Foundation
import Messaging

/// `POST /servers` body, validated. Pure: looking up the flavor, image and key is the caller's.
public struct ServerCreateRequest: Sendable, Equatable {
    public var name: String
    public var imageRef: String
    public var flavorRef: String
    public var keyName: String?
    public var availabilityZone: String?
    /// Base64 as given (Nova stores it so).
    public var userData: String?
    public var metadata: [String: String]
    public var minCount: Int
    public var maxCount: Int
    /// The requested NICs (Nova's `networks`).
    public var networks: ServerNetworks = .unspecified

    public static let maxUserDataBytes = 65535
    public static let maxCount = 1000

    public static func parse(_ body: Data) throws -> ServerCreateRequest {
        let server = try BodyFields.root(body, key: "server")
        let name = try server.requiredString("name")
        guard !name.isEmpty, name.count <= 255, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.badRequest("Invalid input for field/attribute name: the server name must be 1-255 characters and not only spaces (got \(name.count)).")
        }
        var imageRef = try server.string("imageRef") ?? ""
        if imageRef.isEmpty, let mappings = try server.array("block_device_mapping_v2") {
            for mapping in mappings where mapping["source_type"]?.stringValue == "image" {
                imageRef = mapping["uuid"]?.stringValue ?? ""
            }
        }
        guard !imageRef.isEmpty else {
            throw APIError.badRequest("Invalid input for field/attribute imageRef: give the id of an active image (volume boot is not supported).")
        }
        let flavorRef = try Self.reference(server, "flavorRef")
        var request = ServerCreateRequest(
            name: name, imageRef: Self.lastPathComponent(imageRef), flavorRef: flavorRef, keyName: try server.string("key_name"),
            availabilityZone: try server.string("availability_zone"), userData: try server.string("user_data"),
            metadata: try server.stringMap("metadata") ?? [:], minCount: try server.int("min_count") ?? 1,
            maxCount: 1)
        request.maxCount = try server.int("max_count") ?? request.minCount
        guard request.minCount >= 1, request.maxCount >= request.minCount, request.maxCount <= maxCount else {
            throw APIError.badRequest("min_count and max_count must satisfy 1 <= min_count <= max_count <= \(maxCount).")
        }
        request.networks = try ServerNetworks.parse(server.values["networks"], maxCount: request.maxCount)
        if let az = request.availabilityZone, az.isEmpty || az.count > 255 {
            throw APIError.badRequest("Invalid input for field/attribute availability_zone: 1-255 characters.")
        }
        if let userData = request.userData {
            // Nova's schema limits the base64 text itself (maxLength 65535).
            guard userData.utf8.count <= maxUserDataBytes else {
                throw APIError.badRequest("Invalid input for field/attribute user_data: it is \(userData.utf8.count) characters of base64; the limit is \(maxUserDataBytes) (about 48 KiB before encoding).")
            }
            guard Data(base64Encoded: userData, options: .ignoreUnknownCharacters) != nil else {
                throw APIError.badRequest("Invalid input for field/attribute user_data: it must be base64-encoded.")
            }
        }
        guard request.metadata.count <= 128, request.metadata.allSatisfy({ !$0.key.isEmpty && $0.key.count <= 255 && $0.value.count <= 255 }) else {
            throw APIError.badRequest("Invalid metadata: at most 128 items, keys 1-255 and values up to 255 characters.")
        }
        return request
    }

    /// The display names of `count` servers: `name` alone, or `name-1` … (Nova's template).
    public func names(count: Int) -> [String] {
        count == 1 ? [name] : (1...count).map { "\(name)-\($0)" }
    }

    static func reference(_ fields: BodyFields, _ key: String) throws -> String {
        if let i = try? fields.int(key), fields.values[key]?.stringValue == nil { return String(i) }
        let value = try fields.requiredString(key)
        guard !value.isEmpty else { throw APIError.badRequest("Invalid input for field/attribute \(key): it is empty.") }
        return lastPathComponent(value)
    }

    /// Accepts bare ids and bookmark URLs (`…/flavors/1`).
    static func lastPathComponent(_ ref: String) -> String {
        ref.contains("/") ? String(ref.split(separator: "/").last ?? "") : ref
    }

    /// Nova's hostname sanitising: lower case, `[a-z0-9-]`, at most 63 characters.
    public static func hostname(for name: String) -> String {
        var out = ""
        for ch in name.lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber) { out.append(ch) } else if ch == " " || ch == "_" || ch == "-" || ch == "." { out.append("-") }
        }
        while out.hasPrefix("-") { out.removeFirst() }
        out = String(out.prefix(63))
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "server" : out
    }
}
