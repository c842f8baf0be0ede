import Foundation
import Messaging
import Schemas

/// `POST/PUT /v2.0/networks` bodies, validated. Pure.
public struct NetworkRequest: Sendable, Equatable {
    public var name: String?
    public var projectID: String?
    public var networkType: String?
    public var physicalNetwork: String?
    public var mtu: Int?
    public var shared: Bool?
    public var adminStateUp: Bool?
    public var description: String?

    static func invalid(_ message: String) -> APIError { APIError.badRequest("Invalid input for operation: \(message)", type: "InvalidInput") }

    static func common(_ f: BodyFields) throws -> NetworkRequest {
        var r = NetworkRequest()
        r.name = try f.string("name")
        if let n = r.name, n.count > 255 { throw invalid("name is longer than 255 characters.") }
        r.description = try f.string("description")
        r.adminStateUp = try f.bool("admin_state_up")
        r.shared = try f.bool("shared")
        r.mtu = try f.int("mtu")
        if let mtu = r.mtu, !(68...9000).contains(mtu) { throw invalid("mtu \(mtu) is out of range; use 68-9000 (default 1500).") }
        if try f.bool("router:external") == true {
            throw invalid("router:external is not supported: Cirrus has no routers; create a flat provider network instead.")
        }
        return r
    }

    public static func create(_ f: BodyFields, auth: AuthContext) throws -> NetworkRequest {
        var r = try common(f)
        r.networkType = try f.string("provider:network_type")
        r.physicalNetwork = try f.string("provider:physical_network")
        if let type = r.networkType, type != "flat" {
            throw invalid("provider:network_type '\(type)' is not supported; Cirrus implements flat networks only (--provider-network-type flat).")
        }
        if f.has("provider:segmentation_id") { throw invalid("provider:segmentation_id must not be set for a flat network.") }
        if let p = r.physicalNetwork, p.isEmpty || p.count > 64 { throw invalid("provider:physical_network must be 1-64 characters.") }
        r.projectID = try f.string("project_id") ?? f.string("tenant_id")
        if !auth.isAdmin {
            if r.networkType != nil || r.physicalNetwork != nil {
                throw APIError.forbidden("Only admins may set provider:network_type and provider:physical_network.")
            }
            if r.shared == true { throw APIError.forbidden("Only admins may create shared networks.") }
            if let p = r.projectID, p != auth.projectID { throw APIError.forbidden("Only admins may create networks for another project.") }
        }
        return r
    }

    public static func update(_ f: BodyFields, auth: AuthContext) throws -> NetworkRequest {
        for key in ["provider:network_type", "provider:physical_network", "provider:segmentation_id"] where f.has(key) {
            throw invalid("\(key) cannot be changed; create a new network.")
        }
        let r = try common(f)
        if r.shared != nil, !auth.isAdmin { throw APIError.forbidden("Only admins may change 'shared'.") }
        return r
    }
}

/// `POST/PUT /v2.0/subnets` bodies, validated for syntax (addressing is ``SubnetPlan``'s). Pure.
public struct SubnetRequest: Sendable, Equatable {
    public var networkID: String?
    public var name: String?
    public var projectID: String?
    public var cidr: String?
    public var gateway: SubnetPlan.GatewayChoice = .defaulted
    public var pools: [AllocationPool]?
    public var dnsNameservers: [String]?
    public var hostRoutes: [HostRoute]?
    public var enableDHCP: Bool?
    public var description: String?

    public static func parse(_ f: BodyFields, creating: Bool) throws -> SubnetRequest {
        var r = SubnetRequest()
        if creating {
            r.networkID = try f.requiredString("network_id")
            if let v = try f.int("ip_version"), v != 4 {
                throw NetworkRequest.invalid("ip_version \(v) is not supported; Cirrus subnets are IPv4 (ip_version 4).")
            }
            guard f.has("cidr") else {
                throw NetworkRequest.invalid("'cidr' is required (subnet pools are not supported); give e.g. --subnet-range 10.0.0.0/24.")
            }
            r.cidr = try f.string("cidr")
            r.projectID = try f.string("project_id") ?? f.string("tenant_id")
        } else {
            for key in ["network_id", "cidr", "ip_version"] where f.has(key) {
                throw NetworkRequest.invalid("\(key) cannot be changed; create a new subnet.")
            }
        }
        if f.has("subnetpool_id") || f.has("prefixlen") { throw NetworkRequest.invalid("subnet pools are not supported; give a cidr.") }
        r.name = try f.string("name")
        r.description = try f.string("description")
        if f.values.keys.contains("gateway_ip") {
            r.gateway = try f.string("gateway_ip").map { .address($0) } ?? .none
        }
        if let pools = try f.array("allocation_pools") {
            r.pools = try pools.map { item in
                guard let start = item["start"]?.stringValue, let end = item["end"]?.stringValue else {
                    throw NetworkRequest.invalid("each allocation pool needs 'start' and 'end' addresses.")
                }
                return AllocationPool(start: start, end: end)
            }
        }
        if let dns = try f.array("dns_nameservers") {
            r.dnsNameservers = try dns.map { v in
                guard let s = v.stringValue else { throw NetworkRequest.invalid("dns_nameservers must be a list of addresses.") }
                return s
            }
        }
        if let routes = try f.array("host_routes") {
            r.hostRoutes = try routes.map { item in
                guard let d = item["destination"]?.stringValue, let n = item["nexthop"]?.stringValue else {
                    throw NetworkRequest.invalid("each host route needs 'destination' and 'nexthop'.")
                }
                return HostRoute(destination: d, nexthop: n)
            }
        }
        r.enableDHCP = try f.bool("enable_dhcp")
        try SubnetPlan.checkExtras(dnsNameservers: r.dnsNameservers ?? [], hostRoutes: r.hostRoutes ?? [])
        return r
    }
}
