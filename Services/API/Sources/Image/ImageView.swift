import Messaging

/// Glance v2's image JSON (bare, not wrapped); properties appear as top-level keys. Pure.
public enum ImageView {
    public static func json(_ image: ImageRecord) -> JSONValue {
        var o: [String: JSONValue] = [:]
        for (key, value) in image.properties { o[key] = .string(value) }
        func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        o["id"] = .string(image.id)
        o["name"] = optional(image.name)
        o["status"] = .string(image.status)
        o["visibility"] = .string(image.visibility)
        o["protected"] = .bool(image.protected)
        o["os_hidden"] = false
        o["owner"] = .string(image.owner)
        o["disk_format"] = optional(image.diskFormat)
        o["container_format"] = optional(image.containerFormat)
        o["min_disk"] = .int(Int64(image.minDisk))
        o["min_ram"] = .int(Int64(image.minRAM))
        o["size"] = image.size.map { .int($0) } ?? .null
        o["virtual_size"] = .null
        o["checksum"] = optional(image.checksum)
        o["os_hash_algo"] = optional(image.osHashAlgo)
        o["os_hash_value"] = optional(image.osHashValue)
        o["tags"] = .array(image.tags.map { .string($0) })
        o["created_at"] = .string(OpenStackTime.iso(image.createdAt))
        o["updated_at"] = .string(OpenStackTime.iso(image.updatedAt))
        o["self"] = .string("/v2/images/\(image.id)")
        o["file"] = .string("/v2/images/\(image.id)/file")
        o["schema"] = "/v2/schemas/image"
        return .object(o)
    }
}
