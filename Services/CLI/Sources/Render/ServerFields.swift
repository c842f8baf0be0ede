import Messaging

/// How servers are rendered: the list's Networks/Image/Flavor columns and the show table.
public enum ServerFields {
    /// `server list` headers (openstackclient's default columns).
    public static let listHeaders = ["ID", "Name", "Status", "Networks", "Image", "Flavor"]
    /// Extra `--long` headers.
    public static let longHeaders = ["Task State", "Power State", "Availability Zone", "Host"]

    /// `addresses` as openstackclient prints them: `net=ip, ip; net2=ip`, networks sorted by name.
    public static func networks(_ addresses: JSONValue?) -> String {
        guard let nets = addresses?.objectValue else { return "" }
        return nets.keys.sorted().map { net in
            let ips = (nets[net]?.arrayValue ?? []).compactMap { $0["addr"]?.stringValue }
            return "\(net)=\(ips.joined(separator: ", "))"
        }.joined(separator: "; ")
    }

    /// `addresses` as openstackclient's JSON gives them: `{"net": ["ip", …]}`.
    public static func addressesMachine(_ addresses: JSONValue?) -> JSONValue {
        guard let nets = addresses?.objectValue else { return .object([:]) }
        return .object(nets.mapValues { .array(($0.arrayValue ?? []).compactMap { $0["addr"] }) })
    }

    /// The Networks / addresses cell: formatted text, `{net: [ips]}` for JSON.
    public static func networksCell(_ addresses: JSONValue?) -> Cell {
        Cell(addressesMachine(addresses), human: networks(addresses))
    }

    /// The image id of a server, or nil when it booted from a volume (`image` is `""`).
    public static func imageID(_ server: JSONValue) -> String? {
        server["image"]?["id"]?.idString
    }

    /// The flavor id of a server.
    public static func flavorID(_ server: JSONValue) -> String? {
        server["flavor"]?["id"]?.idString
    }

    /// One `server list` row; names come from the look-up tables (ids shown when unknown).
    public static func listRow(
        _ server: JSONValue, images: [String: String], flavors: [String: String], long: Bool = false
    ) -> [Cell] {
        let image: String
        if let id = imageID(server) { image = images[id] ?? id } else { image = "N/A (booted from volume)" }
        let flavor = flavorID(server).map { flavors[$0] ?? $0 } ?? ""
        var row: [Cell] = [
            Cell(server["id"] ?? .null), Cell(server["name"] ?? .null), Cell(server["status"] ?? .null),
            networksCell(server["addresses"]),
            Cell(.string(image)), Cell(.string(flavor)),
        ]
        if long {
            row += [
                Cell(server["OS-EXT-STS:task_state"] ?? .null), Cell(.string(powerState(server["OS-EXT-STS:power_state"]))),
                Cell(server["OS-EXT-AZ:availability_zone"] ?? .string("")), Cell(server["OS-EXT-SRV-ATTR:host"] ?? .null),
            ]
        }
        return row
    }

    /// Nova's power state numbers as openstackclient names them.
    public static func powerState(_ v: JSONValue?) -> String {
        guard case .int(let n)? = v else { return v.map { Cell.display($0) } ?? "" }
        let names: [Int64: String] = [0: "NOSTATE", 1: "Running", 3: "Paused", 4: "Shutdown", 6: "Crashed", 7: "Suspended"]
        return names[n] ?? "NOSTATE"
    }

    /// `server show` rows: sorted fields, `tenant_id` → `project_id`, `metadata` → `properties`,
    /// image and flavor as `name (id)`, addresses and security groups formatted, links dropped.
    public static func show(_ server: JSONValue, imageName: String?, flavorName: String?) -> [(String, Cell)] {
        var overrides: [String: Cell] = [
            "addresses": networksCell(server["addresses"]),
        ]
        if let id = imageID(server) {
            overrides["image"] = Cell(server["image"]!, human: ResourceFields.nameAndID(imageName, id))
        } else {
            overrides["image"] = Cell(.string(""), human: "N/A (booted from volume)")
        }
        if let id = flavorID(server) {
            overrides["flavor"] = Cell(server["flavor"]!, human: ResourceFields.nameAndID(flavorName, id))
        }
        if let groups = server["security_groups"]?.arrayValue {
            overrides["security_groups"] = Cell(.array(groups), human: groups.map { Cell.display($0) }.joined(separator: "\n"))
        }
        if let v = server["volumes_attached"]?.arrayValue {
            overrides["volumes_attached"] = Cell(.array(v), human: v.map { Cell.display($0) }.joined(separator: "\n"))
        }
        return ResourceFields.fields(
            server, rename: ["tenant_id": "project_id", "metadata": "properties"], overrides: overrides)
    }
}
