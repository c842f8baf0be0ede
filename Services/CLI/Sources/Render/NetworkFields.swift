import Messaging

/// How networks, subnets and ports are rendered, following openstackclient's column formatters. Pure.
public enum NetworkFields {
    public static let networkHeaders = ["ID", "Name", "Subnets"]
    public static let subnetHeaders = ["ID", "Name", "Network", "Subnet"]
    public static let portHeaders = ["ID", "Name", "MAC Address", "Fixed IP Addresses", "Status"]

    /// A list of strings joined by `, `: sorted like openstackclient's ListColumn, or in their own
    /// order where it matters (name servers).
    static func list(_ v: JSONValue?, sorted: Bool = true) -> Cell {
        let items = v?.arrayValue ?? []
        let texts = items.map { Cell.display($0) }
        return Cell(.array(items), human: (sorted ? texts.sorted() : texts).joined(separator: ", "))
    }

    /// `admin_state_up` as `UP` / `DOWN`.
    static func adminState(_ v: JSONValue?) -> Cell {
        guard case .bool(let up)? = v else { return Cell(v ?? .null) }
        return Cell(.bool(up), human: up ? "UP" : "DOWN")
    }

    /// A list of dicts, one `k='v', k='v'` line per entry (format_list_of_dicts).
    static func dicts(_ v: JSONValue?) -> Cell {
        let items = v?.arrayValue ?? []
        return Cell(.array(items), human: items.map { Cell.display($0) }.joined(separator: "\n"))
    }

    /// A port's `fixed_ips`: `ip_address='10.0.0.5', subnet_id='…'`, one line per address.
    public static func fixedIPs(_ v: JSONValue?) -> Cell { dicts(v) }

    /// A subnet's `allocation_pools` as `start-end`, joined by `,`.
    public static func allocationPools(_ v: JSONValue?) -> Cell {
        let pools = v?.arrayValue ?? []
        let text = pools.map { "\($0["start"]?.stringValue ?? "")-\($0["end"]?.stringValue ?? "")" }.joined(separator: ",")
        return Cell(.array(pools), human: text)
    }

    /// A subnet's `host_routes`: shown with `nexthop` as `gateway` (the option's word), as openstackclient
    /// does; JSON keeps Neutron's objects.
    public static func hostRoutes(_ v: JSONValue?) -> Cell {
        let routes = v?.arrayValue ?? []
        let shown: [JSONValue] = routes.map { r in
            ["destination": r["destination"] ?? .null, "gateway": r["nexthop"] ?? r["gateway"] ?? .null]
        }
        return Cell(.array(routes), human: shown.map { Cell.display($0) }.joined(separator: "\n"))
    }

    public static func networkRow(_ n: JSONValue) -> [Cell] {
        [Cell(n["id"] ?? .null), Cell(n["name"] ?? .null), list(n["subnets"])]
    }

    public static func subnetRow(_ s: JSONValue) -> [Cell] {
        [Cell(s["id"] ?? .null), Cell(s["name"] ?? .null), Cell(s["network_id"] ?? .null), Cell(s["cidr"] ?? .null)]
    }

    public static func portRow(_ p: JSONValue) -> [Cell] {
        [Cell(p["id"] ?? .null), Cell(p["name"] ?? .null), Cell(p["mac_address"] ?? .null), fixedIPs(p["fixed_ips"]),
         Cell(p["status"] ?? .null)]
    }

    /// `network show`: sorted fields; admin state, subnets, availability zones and tags formatted.
    public static func network(_ n: JSONValue) -> [(String, Cell)] {
        var o: [String: Cell] = ["admin_state_up": adminState(n["admin_state_up"])]
        for k in ["subnets", "availability_zones", "availability_zone_hints", "tags"] where n[k] != nil { o[k] = list(n[k]) }
        if case .bool(let ext)? = n["router:external"] { o["router:external"] = Cell(.bool(ext), human: ext ? "External" : "Internal") }
        return neutronFields(n, o)
    }

    /// `subnet show`: pools as ranges, routes with `gateway`, name servers and tags as lists.
    public static func subnet(_ s: JSONValue) -> [(String, Cell)] {
        var o: [String: Cell] = [
            "allocation_pools": allocationPools(s["allocation_pools"]), "host_routes": hostRoutes(s["host_routes"]),
            "dns_nameservers": list(s["dns_nameservers"], sorted: false),
        ]
        if s["tags"] != nil { o["tags"] = list(s["tags"]) }
        return neutronFields(s, o)
    }

    /// `port show`: admin state, fixed IPs one per line, lists joined.
    public static func port(_ p: JSONValue) -> [(String, Cell)] {
        var o: [String: Cell] = ["admin_state_up": adminState(p["admin_state_up"]), "fixed_ips": fixedIPs(p["fixed_ips"])]
        for k in ["security_group_ids", "security_groups", "tags"] where p[k] != nil { o[k] = list(p[k]) }
        if p["allowed_address_pairs"] != nil { o["allowed_address_pairs"] = dicts(p["allowed_address_pairs"]) }
        return neutronFields(p, o)
    }

    /// Sorted fields; Neutron's legacy `tenant_id` shown as `project_id` (dropped when both are given).
    static func neutronFields(_ v: JSONValue, _ overrides: [String: Cell]) -> [(String, Cell)] {
        let both = v["project_id"] != nil
        return ResourceFields.fields(
            v, drop: both ? ["links", "tenant_id"] : ["links"], rename: both ? [:] : ["tenant_id": "project_id"], overrides: overrides)
    }
}
