import Foundation

/// The descriptive, reference-counted part of a ``HostState`` (names, zone, capabilities),
/// immutable and shared, so that copying a host state costs one retain instead of a dozen:
/// the filters read 1,000 hosts per request.
public final class HostIdentity: Sendable, Equatable {
    public let host: String
    public let nodename: String
    public let hypervisorType: String
    public let hostIP: String
    public let availabilityZone: String
    public let capabilities: [String: String]
    /// Canonical architecture from the `hw_architecture`, `architecture` or `cpu_arch` capability.
    public let architecture: String?
    /// Canonical hypervisor types: ``hypervisorType`` plus the `hypervisor_types` capability (comma list).
    public let hypervisorTypes: [String]

    public init(host: String, nodename: String, hypervisorType: String, hostIP: String, availabilityZone: String, capabilities: [String: String]) {
        self.host = host
        self.nodename = nodename
        self.hypervisorType = hypervisorType
        self.hostIP = hostIP
        self.availabilityZone = availabilityZone
        self.capabilities = capabilities
        architecture = (capabilities["hw_architecture"] ?? capabilities["architecture"] ?? capabilities["cpu_arch"])
            .map(Architecture.canonical)
        let listed = capabilities["hypervisor_types"]?.split(separator: ",").map {
            HypervisorType.canonical($0.trimmingCharacters(in: .whitespaces))
        } ?? []
        hypervisorTypes = [HypervisorType.canonical(hypervisorType)] + listed
    }

    public static func == (a: HostIdentity, b: HostIdentity) -> Bool {
        a === b || (a.host == b.host && a.nodename == b.nodename && a.hypervisorType == b.hypervisorType
            && a.hostIP == b.hostIP && a.availabilityZone == b.availabilityZone && a.capabilities == b.capabilities)
    }
}
