import Messaging

/// `key=value,key=value` options of the network commands (`--allocation-pool`, `--host-route`,
/// `--fixed-ip`), parsed like openstackclient's MultiKeyValueAction. Pure.
public enum MultiKeyValue {
    /// The pairs of `s`; every key must be in `required` or `optional`, every required key present.
    public static func parse(
        _ s: String, option: String, required: [String], optional: [String] = []
    ) throws -> [String: String] {
        let form = (required + optional).map { "\($0)=<value>" }.joined(separator: ",")
        var values: [String: String] = [:]
        for part in s.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw CLIError("Invalid \(option) '\(s)': expected \(form).")
            }
            let key = String(kv[0])
            guard required.contains(key) || optional.contains(key) else {
                throw CLIError("Invalid \(option) '\(s)': unknown key '\(key)'; valid keys are \((required + optional).joined(separator: ", ")).")
            }
            guard values[key] == nil else { throw CLIError("Invalid \(option) '\(s)': '\(key)' is given twice.") }
            values[key] = String(kv[1])
        }
        let missing = required.filter { values[$0] == nil }
        guard missing.isEmpty else {
            throw CLIError("Invalid \(option) '\(s)': missing \(missing.joined(separator: ", ")); expected \(form).")
        }
        return values
    }
}

/// `--allocation-pool start=IP,end=IP` → `{"start", "end"}`.
public enum AllocationPool {
    public static func parse(_ s: String) throws -> JSONValue {
        let v = try MultiKeyValue.parse(s, option: "--allocation-pool", required: ["start", "end"])
        return ["start": .string(v["start"]!), "end": .string(v["end"]!)]
    }
}

/// `--host-route destination=CIDR,gateway=IP` → Neutron's `{"destination", "nexthop"}`.
public enum HostRoute {
    public static func parse(_ s: String) throws -> JSONValue {
        let v = try MultiKeyValue.parse(s, option: "--host-route", required: ["destination", "gateway"])
        return ["destination": .string(v["destination"]!), "nexthop": .string(v["gateway"]!)]
    }
}

/// `--fixed-ip subnet=SUBNET,ip-address=IP` (either or both); the subnet may be a name.
public struct FixedIPSpec: Equatable, Sendable {
    public var subnet: String?
    public var ipAddress: String?

    public init(subnet: String? = nil, ipAddress: String? = nil) {
        self.subnet = subnet
        self.ipAddress = ipAddress
    }

    public init(parsing s: String) throws {
        let v = try MultiKeyValue.parse(s, option: "--fixed-ip", required: [], optional: ["subnet", "ip-address"])
        guard !v.isEmpty else { throw CLIError("Invalid --fixed-ip '\(s)': expected subnet=<subnet>,ip-address=<ip>.") }
        self.init(subnet: v["subnet"], ipAddress: v["ip-address"])
    }

    /// The Neutron `fixed_ips` entry, given the resolved subnet id.
    public func body(subnetID: String?) -> JSONValue {
        var o: [String: JSONValue] = [:]
        if let subnetID { o["subnet_id"] = .string(subnetID) }
        if let ipAddress { o["ip_address"] = .string(ipAddress) }
        return .object(o)
    }
}

/// `--gateway auto|none|IP`: `auto` lets Neutron pick (field omitted), `none` sends null.
public enum GatewayChoice: Equatable, Sendable {
    case auto, none, address(String)

    public init(_ s: String) {
        switch s.lowercased() {
        case "auto": self = .auto
        case "none": self = .none
        default: self = .address(s)
        }
    }
}
