import Foundation
import Schemas

/// Reads Glance v2's image JSON (`GET /image/v2/images/<id>`, properties as top-level keys)
/// into an ``ImageSpec``. Pure.
public enum GlanceImageRecord {
    /// Keys that are Glance's own fields, not image properties.
    static let coreKeys: Set<String> = [
        "id", "name", "status", "visibility", "protected", "os_hidden", "owner", "disk_format", "container_format", "min_disk",
        "min_ram", "size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value", "tags", "created_at", "updated_at",
        "self", "file", "schema", "locations", "direct_url",
    ]

    /// - Throws: ``ImageFetchError`` when the body is not an image record or the image has no data yet.
    public static func spec(from data: Data) throws -> ImageSpec {
        guard let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let id = o["id"] as? String else {
            throw ImageFetchError("cirrus-api answered an image request with something that is not a Glance image record")
        }
        if let status = o["status"] as? String, status != "active" {
            throw ImageFetchError("image \(id) is \(status), not active: upload its data first")
        }
        var properties: [String: String] = [:]
        for (key, value) in o where !coreKeys.contains(key) {
            if let s = value as? String { properties[key] = s }
        }
        func string(_ key: String) -> String? { o[key] as? String }
        return ImageSpec(
            id: id, name: string("name") ?? "", checksum: string("checksum"), osHashAlgo: string("os_hash_algo"),
            osHashValue: string("os_hash_value"), size: (o["size"] as? NSNumber)?.int64Value,
            diskFormat: string("disk_format") ?? "raw", containerFormat: string("container_format") ?? "bare",
            minDiskGB: (o["min_disk"] as? NSNumber)?.intValue ?? 0, minRAMMB: (o["min_ram"] as? NSNumber)?.intValue ?? 0,
            properties: properties)
    }
}
