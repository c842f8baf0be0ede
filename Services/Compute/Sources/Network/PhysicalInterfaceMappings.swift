/// `[linux_bridge] physical_interface_mappings = <physical network>:<interface>,...` (the
/// Neutron linuxbridge agent's option): which host interface becomes the uplink of the
/// bridges of each provider (physical) network. Interfaces not named here are never touched.
public struct PhysicalInterfaceMappings: Sendable, Equatable {
    /// Physical network name → host interface name.
    public var interfaces: [String: String]

    public init(_ interfaces: [String: String] = [:]) {
        self.interfaces = interfaces
    }

    /// Parses `public:eth1` entries.
    /// - Throws: ``VIFPlugError`` naming the entry that is not `<physical network>:<interface>`.
    public init(parsing entries: [String]) throws {
        var out: [String: String] = [:]
        for raw in entries {
            let entry = raw.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty { continue }
            let parts = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[1].utf8.count <= 15, !parts[1].contains("/") else {
                throw VIFPlugError(
                    "[linux_bridge] physical_interface_mappings entry '\(entry)' is not <physical network>:<interface> "
                        + "(an interface name of at most 15 characters), e.g. public:eth1")
            }
            guard out[parts[0]] == nil else {
                throw VIFPlugError("[linux_bridge] physical_interface_mappings names physical network '\(parts[0])' twice")
            }
            out[parts[0]] = parts[1]
        }
        interfaces = out
    }

    /// The uplink of `physicalNetwork`'s bridges, or nil (no physical network, or none mapped).
    public func interface(for physicalNetwork: String?) -> String? {
        physicalNetwork.flatMap { interfaces[$0] }
    }
}

/// A VIF cannot be plugged or unplugged; the message says what to fix.
public struct VIFPlugError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
