import Foundation
import Messaging
import Schemas

/// Neutron v2.0 JSON of networks, subnets and ports, with the fields openstacksdk reads. Pure.
public enum NetworkViews {
    static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

    public static func network(_ n: NetworkRecord, subnetIDs: [String]) -> JSONValue {
        [
            "id": .string(n.id), "name": .string(n.name), "tenant_id": .string(n.projectID), "project_id": .string(n.projectID),
            "admin_state_up": .bool(n.adminStateUp), "status": .string(n.status), "shared": .bool(n.shared),
            "mtu": .int(Int64(n.mtu)), "subnets": .array(subnetIDs.map { .string($0) }),
            "provider:network_type": .string(n.networkType), "provider:physical_network": optional(n.physicalNetwork),
            "provider:segmentation_id": .null, "router:external": false, "is_default": false,
            "availability_zone_hints": [], "availability_zones": ["nova"], "ipv4_address_scope": .null,
            "ipv6_address_scope": .null, "port_security_enabled": true, "l2_adjacency": true, "dns_domain": "",
            "qos_policy_id": .null, "description": .string(n.description), "tags": [],
            "created_at": .string(OpenStackTime.iso(n.createdAt)), "updated_at": .string(OpenStackTime.iso(n.updatedAt)),
            "revision_number": .int(Int64(n.revisionNumber)),
        ]
    }

    public static func subnet(_ s: SubnetRecord) -> JSONValue {
        [
            "id": .string(s.id), "name": .string(s.name), "tenant_id": .string(s.projectID), "project_id": .string(s.projectID),
            "network_id": .string(s.networkID), "ip_version": .int(Int64(s.ipVersion)), "cidr": .string(s.cidr),
            "gateway_ip": optional(s.gatewayIP), "enable_dhcp": .bool(s.enableDHCP),
            "allocation_pools": .array(s.allocationPools.map { ["start": .string($0.start), "end": .string($0.end)] }),
            "dns_nameservers": .array(s.dnsNameservers.map { .string($0) }),
            "host_routes": .array(s.hostRoutes.map { ["destination": .string($0.destination), "nexthop": .string($0.nexthop)] }),
            "ipv6_ra_mode": .null, "ipv6_address_mode": .null, "subnetpool_id": .null, "segment_id": .null,
            "service_types": [], "dns_publish_fixed_ip": false, "description": .string(s.description), "tags": [],
            "created_at": .string(OpenStackTime.iso(s.createdAt)), "updated_at": .string(OpenStackTime.iso(s.updatedAt)),
            "revision_number": .int(Int64(s.revisionNumber)),
        ]
    }

    public static func port(_ p: PortRecord, fixedIPs: [FixedIP], dnsDomain: String = "openstacklocal") -> JSONValue {
        let assignment: [JSONValue] = fixedIPs.map { ip in
            let host = p.dnsName.flatMap { $0.isEmpty ? nil : $0 } ?? "host-" + ip.ipAddress.replacingOccurrences(of: ".", with: "-")
            return ["ip_address": .string(ip.ipAddress), "hostname": .string(host), "fqdn": .string("\(host).\(dnsDomain).")]
        }
        return [
            "id": .string(p.id), "name": .string(p.name), "network_id": .string(p.networkID),
            "tenant_id": .string(p.projectID), "project_id": .string(p.projectID), "mac_address": .string(p.macAddress),
            "admin_state_up": .bool(p.adminStateUp), "status": .string(p.status), "device_id": .string(p.deviceID),
            "device_owner": .string(p.deviceOwner),
            "fixed_ips": .array(fixedIPs.map { ["subnet_id": .string($0.subnetID), "ip_address": .string($0.ipAddress)] }),
            "binding:host_id": .string(p.bindingHost ?? ""), "binding:vnic_type": "normal", "binding:profile": [:],
            "binding:vif_type": p.bindingHost == nil ? "unbound" : "bridge", "binding:vif_details": [:],
            "allowed_address_pairs": [], "extra_dhcp_opts": [], "security_groups": [], "port_security_enabled": true,
            "dns_name": .string(p.dnsName ?? ""), "dns_assignment": .array(assignment), "qos_policy_id": .null,
            "propagate_uplink_status": false, "description": .string(p.description), "tags": [],
            "created_at": .string(OpenStackTime.iso(p.createdAt)), "updated_at": .string(OpenStackTime.iso(p.updatedAt)),
            "revision_number": .int(Int64(p.revisionNumber)),
        ]
    }

    /// `GET /networking/` (unversioned) and `/networking/v2.0` documents.
    public static func versions(baseURL: String) -> JSONValue {
        ["versions": [["id": "v2.0", "status": "CURRENT", "links": [["rel": "self", "href": .string(baseURL + "/v2.0/")]]]]]
    }

    /// The API extensions Cirrus implements (`GET /v2.0/extensions`).
    public static let extensions: [(alias: String, name: String)] = [
        ("binding", "Port Binding"), ("provider", "Provider Network"), ("network-mtu", "Network MTU"),
        ("project-id", "project_id field enabled"), ("standard-attr-revisions", "Resource revision numbers"),
        ("standard-attr-description", "standard-attr-description"), ("standard-attr-timestamp", "Resource timestamps"),
        ("dns-integration", "DNS Integration"), ("net-mtu-writable", "Network MTU (writable)"),
    ]

    public static func `extension`(_ e: (alias: String, name: String)) -> JSONValue {
        ["alias": .string(e.alias), "name": .string(e.name), "description": .string(e.name), "links": [], "updated": "2013-01-01T00:00:00-00:00"]
    }

    public static func resources(baseURL: String) -> JSONValue {
        [
            "resources": .array(["network", "subnet", "port"].map { name in
                [
                    "name": .string(name), "collection": .string(name + "s"),
                    "links": [["rel": "self", "href": .string("\(baseURL)/v2.0/\(name)s")]],
                ]
            })
        ]
    }
}

/// Neutron list query parameters: filters (repeatable, any value matches), `fields`. Pure.
public struct NeutronQuery: Sendable, Equatable {
    public var filters: [String: [String]] = [:]
    public var fields: [String] = []

    static let ignored: Set<String> = ["limit", "marker", "sort_key", "sort_dir", "page_reverse", "fields", "all_tenants"]

    public init(pairs: [(String, String)]) {
        for (key, value) in pairs {
            if key == "fields" { fields.append(value) } else if !Self.ignored.contains(key) { filters[key, default: []].append(value) }
        }
    }

    public func first(_ key: String) -> String? { filters[key]?.first }

    /// Whether a view matches every filter it has a field for (unknown filters are ignored).
    public func matches(_ view: JSONValue) -> Bool {
        for (key, values) in filters {
            if key == "fixed_ips" {
                var ips: [JSONValue] = []
                if case .array(let a)? = view["fixed_ips"] { ips = a }
                for wanted in values {
                    let parts = wanted.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { continue }
                    if !ips.contains(where: { $0[parts[0]]?.stringValue == parts[1] }) { return false }
                }
                continue
            }
            guard let field = view[key] else { continue }
            let text: String? = switch field {
            case .string(let s): s
            case .bool(let b): b ? "true" : "false"
            case .int(let i): String(i)
            case .null: ""
            default: nil
            }
            guard let text else { continue }
            if !values.contains(where: { $0 == text || $0.lowercased() == text }) { return false }
        }
        return true
    }

    /// The view with only the requested fields (all when none were requested).
    public func project(_ view: JSONValue) -> JSONValue {
        guard !fields.isEmpty, case .object(let o) = view else { return view }
        return .object(o.filter { fields.contains($0.key) })
    }
}
