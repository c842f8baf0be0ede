import Schemas

/// One instance's request as the filters and weighers read it: the spec plus what is derived
/// from it once per request (resources, canonical image properties, the time of the decision).
public struct PlacementRequest: Sendable {
    public var spec: RequestSpec
    /// What one instance of the flavor uses on a host.
    public var resources: Resources
    /// Seconds since 1970, the moment liveness is judged against.
    public var now: Double
    /// Canonical architecture the image asks for (`hw_architecture` or `architecture`), if any.
    public var imageArchitecture: String?
    /// Canonical hypervisor type the image asks for (`img_hv_type` or `hypervisor_type`), if any.
    public var imageHypervisorType: String?
    let ignoreHosts: Set<String>
    let forceHosts: Set<String>

    public init(spec: RequestSpec, now: Double) {
        self.spec = spec
        self.now = now
        resources = Self.resources(of: spec.flavor)
        let props = spec.image.properties
        imageArchitecture = (props["hw_architecture"] ?? props["architecture"]).map(Architecture.canonical)
        imageHypervisorType = (props["img_hv_type"] ?? props["hypervisor_type"]).map(HypervisorType.canonical)
        ignoreHosts = Set(spec.ignoreHosts)
        forceHosts = Set(spec.forceHosts)
    }

    /// vCPUs, RAM and disk (root + ephemeral + swap rounded up to GB, as Nova's DiskFilter) of one instance.
    public static func resources(of flavor: FlavorSpec) -> Resources {
        let swapGB = (max(flavor.swapMB, 0) + 1023) / 1024
        return Resources(vcpus: flavor.vcpus, memoryMB: flavor.memoryMB, diskGB: flavor.diskGB + swapGB, instances: 1)
    }

    /// Whether `host` is excluded by `ignore_hosts` / not in `force_hosts`.
    func isIgnored(_ host: String) -> Bool { !ignoreHosts.isEmpty && ignoreHosts.contains(host) }
    var hasIgnoredHosts: Bool { !ignoreHosts.isEmpty }
    var isForced: Bool { !forceHosts.isEmpty }
    func isForced(_ host: String) -> Bool { forceHosts.contains(host) }
}

/// Nova's architecture names (`nova.objects.fields.Architecture.canonicalize`).
enum Architecture {
    static func canonical(_ name: String) -> String {
        let lower = name.lowercased()
        switch lower {
        case "amd64", "x64": return "x86_64"
        case "i386", "i486", "i586", "x86", "x86_32", "ia32": return "i686"
        case "arm64": return "aarch64"
        default: return lower
        }
    }
}

/// Nova's hypervisor type names (`nova.objects.fields.HVType.canonicalize`).
enum HypervisorType {
    static func canonical(_ name: String) -> String {
        let lower = name.lowercased()
        switch lower {
        case "xapi": return "xen"
        default: return lower
        }
    }
}
