/// One `--nic` argument: `net-id=…,v4-fixed-ip=…,v6-fixed-ip=…,port-id=…`, or `none` / `auto`.
public enum NICSpec: Equatable, Sendable {
    case none
    case auto
    case network(id: String, fixedIP: String?)
    case port(id: String)

    /// Parses the argument with openstackclient's rules and wording.
    public init(parsing s: String) throws {
        if s == "none" { self = .none; return }
        if s == "auto" { self = .auto; return }
        var values: [String: String] = [:]
        for part in s.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, ["net-id", "port-id", "v4-fixed-ip", "v6-fixed-ip"].contains(String(kv[0])), !kv[1].isEmpty else {
                throw CLIError(NICSpec.usage(s))
            }
            values[String(kv[0])] = String(kv[1])
        }
        if values["v4-fixed-ip"] != nil && values["v6-fixed-ip"] != nil {
            throw CLIError("Invalid --nic argument '\(s)': v4-fixed-ip and v6-fixed-ip cannot both be given.")
        }
        let ip = values["v4-fixed-ip"] ?? values["v6-fixed-ip"]
        switch (values["net-id"], values["port-id"]) {
        case (let net?, nil): self = .network(id: net, fixedIP: ip)
        case (nil, let port?):
            guard ip == nil else { throw CLIError("Invalid --nic argument '\(s)': a fixed IP cannot be given with port-id.") }
            self = .port(id: port)
        case (.some, .some): throw CLIError("Invalid --nic argument '\(s)': either net-id or port-id should be specified but not both.")
        case (nil, nil): throw CLIError(NICSpec.usage(s))
        }
    }

    static func usage(_ s: String) -> String {
        "Invalid --nic argument '\(s)'. Nic arguments must be of the form --nic <net-id=net-uuid,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,port-id=port-uuid>, or --nic none / --nic auto."
    }
}

/// Parses `KEY=VALUE` arguments (`--property`).
public enum KeyValue {
    public static func parse(_ s: String, option: String) throws -> (String, String) {
        let kv = s.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard kv.count == 2, !kv[0].isEmpty else {
            throw CLIError("Invalid \(option) '\(s)': expected KEY=VALUE.")
        }
        return (String(kv[0]), String(kv[1]))
    }
}
