import Foundation
import Messaging

/// Validation of Glance image create and patch bodies. Pure.
public enum ImageRequest {
    public static let diskFormats: Set<String> = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"]
    public static let containerFormats: Set<String> = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"]
    public static let visibilities: Set<String> = ["public", "private", "shared", "community"]
    static let readOnly: Set<String> = [
        "status", "checksum", "size", "virtual_size", "os_hash_algo", "os_hash_value", "owner", "created_at",
        "updated_at", "self", "file", "schema", "direct_url", "location", "locations",
    ]

    /// A new image from `POST /v2/images` for `auth`.
    public static func create(_ body: Data, auth: AuthContext, now: Date) throws -> ImageRecord {
        guard let object = try BodyFields.parse(body).objectValue else {
            throw APIError.badRequest("The image body must be a JSON object.")
        }
        var id = UUID().uuidString.lowercased()
        if let given = object["id"] {
            guard let s = given.stringValue, let uuid = UUID(uuidString: s) else {
                throw APIError.badRequest("Provided object does not match schema 'image': 'id' must be a UUID.")
            }
            id = uuid.uuidString.lowercased()
        }
        var image = ImageRecord(id: id, name: nil, owner: auth.projectID, now: now)
        for (key, value) in object where key != "id" {
            try apply(key: key, value: value, to: &image, auth: auth)
        }
        return image
    }

    /// Applies one attribute; shared by create and the JSON-patch `add`/`replace` operations.
    public static func apply(key: String, value: JSONValue, to image: inout ImageRecord, auth: AuthContext) throws {
        if readOnly.contains(key) { throw APIError.forbidden("Attribute '\(key)' is read-only.") }
        func string() throws -> String? {
            if value == .null { return nil }
            guard let s = value.stringValue else { throw APIError.badRequest("'\(key)' must be a string.") }
            return s
        }
        func int() throws -> Int {
            guard case .int(let i) = value, i >= 0, i <= Int64(Int32.max) else {
                throw APIError.badRequest("'\(key)' must be a non-negative integer.")
            }
            return Int(i)
        }
        switch key {
        case "name":
            let name = try string()
            if let name, name.count > 255 { throw APIError.badRequest("'name' is longer than 255 characters.") }
            image.name = name
        case "disk_format":
            let f = try string()
            guard f.map(diskFormats.contains) ?? true else {
                throw APIError.badRequest("Invalid disk_format '\(f!)'; use one of \(diskFormats.sorted().joined(separator: ", ")).")
            }
            image.diskFormat = f
        case "container_format":
            let f = try string()
            guard f.map(containerFormats.contains) ?? true else {
                throw APIError.badRequest("Invalid container_format '\(f!)'; use one of \(containerFormats.sorted().joined(separator: ", ")).")
            }
            image.containerFormat = f
        case "visibility":
            guard let v = try string(), visibilities.contains(v) else {
                throw APIError.badRequest("Invalid visibility; use one of public, private, shared, community.")
            }
            if v == "public" && !auth.isAdmin {
                throw APIError.forbidden("You are not authorized to publicize images: only admins may set visibility 'public'.")
            }
            image.visibility = v
        case "protected":
            guard case .bool(let b) = value else { throw APIError.badRequest("'protected' must be a boolean.") }
            image.protected = b
        case "min_disk": image.minDisk = try int()
        case "min_ram": image.minRAM = try int()
        case "tags":
            guard case .array(let items) = value else { throw APIError.badRequest("'tags' must be an array of strings.") }
            image.tags = try items.map {
                guard let s = $0.stringValue, s.count <= 255 else { throw APIError.badRequest("Each tag must be a string up to 255 characters.") }
                return s
            }
        default:
            guard key.count <= 255 else { throw APIError.badRequest("Property names are limited to 255 characters.") }
            guard let s = value.stringValue else {
                throw APIError.badRequest("Property '\(key)' must be a string (Glance properties are strings).")
            }
            image.properties[key] = s
        }
    }

    /// Applies a JSON patch (`application/openstack-images-v2.1-json-patch`).
    public static func patch(_ body: Data, to image: inout ImageRecord, auth: AuthContext) throws {
        guard case .array(let operations) = try BodyFields.parse(body) else {
            throw APIError.badRequest("The patch must be a JSON array of operations.")
        }
        for op in operations {
            guard let kind = op["op"]?.stringValue, let path = op["path"]?.stringValue, path.hasPrefix("/") else {
                throw APIError.badRequest("Each patch operation needs 'op' and a 'path' starting with '/'.")
            }
            let key = String(path.dropFirst())
            switch kind {
            case "add", "replace":
                guard let value = op["value"] else { throw APIError.badRequest("Operation '\(kind)' on \(path) needs a 'value'.") }
                try apply(key: key, value: value, to: &image, auth: auth)
            case "remove":
                guard image.properties.removeValue(forKey: key) != nil else {
                    throw APIError.conflict("Property '\(key)' does not exist or cannot be removed.")
                }
            default:
                throw APIError.badRequest("Unsupported patch operation '\(kind)'; use add, replace or remove.")
            }
        }
    }
}
