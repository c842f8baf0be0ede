import Messaging

/// Field/Value rows for `show` commands, following openstackclient's per-resource formatting.
public enum ResourceFields {
    /// An object's members as sorted rows, without `drop`, with keys renamed and cells overridden.
    public static func fields(
        _ object: JSONValue, drop: Set<String> = ["links"], rename: [String: String] = [:], overrides: [String: Cell] = [:]
    ) -> [(String, Cell)] {
        var rows: [String: Cell] = [:]
        for (k, v) in object.objectValue ?? [:] where !drop.contains(k) {
            rows[rename[k] ?? k] = Cell(v)
        }
        for (k, c) in overrides { rows[k] = c }
        return rows.keys.sorted().map { ($0, rows[$0]!) }
    }

    /// `name (id)`, or just the id when the name is unknown.
    public static func nameAndID(_ name: String?, _ id: String) -> String {
        guard let name, !name.isEmpty else { return id }
        return "\(name) (\(id))"
    }

    /// Glance image fields that are not custom properties.
    static let imageCoreFields: Set<String> = [
        "checksum", "container_format", "created_at", "disk_format", "file", "id", "min_disk", "min_ram", "name",
        "owner", "protected", "schema", "size", "status", "tags", "updated_at", "virtual_size", "visibility",
    ]

    /// `image show`: core fields plus everything else gathered under `properties` (as openstackclient does).
    public static func image(_ image: JSONValue) -> [(String, Cell)] {
        let o = image.objectValue ?? [:]
        var props: [String: JSONValue] = [:]
        for (k, v) in o where !imageCoreFields.contains(k) && k != "self" && k != "locations" { props[k] = v }
        let core = JSONValue.object(o.filter { imageCoreFields.contains($0.key) })
        return fields(core, overrides: ["properties": Cell(.object(props))])
    }

    /// `hypervisor show`: the nested `service` flattened to `service_host` / `service_id`.
    public static func hypervisor(_ h: JSONValue) -> [(String, Cell)] {
        var overrides: [String: Cell] = [:]
        if let service = h["service"] {
            overrides["service_host"] = Cell(service["host"] ?? .null)
            overrides["service_id"] = Cell(service["id"] ?? .null)
        }
        return fields(h, drop: ["links", "service"], overrides: overrides)
    }
}
