/// Keeps hosts that can run the image (Nova's ImagePropertiesFilter): the image's
/// `hw_architecture` (or `architecture`) must match the host's `hw_architecture` /
/// `architecture` / `cpu_arch` capability, and its `img_hv_type` (or `hypervisor_type`) the
/// host's hypervisor type or one listed in its `hypervisor_types` capability (comma list).
///
/// Names are canonicalised as Nova does (`amd64` → `x86_64`, `xapi` → `xen`). An image that
/// asks for an architecture does not fit a host that does not say which it has; an image
/// that asks for nothing fits every host.
public struct ImagePropertiesFilter: HostFilter {
    public var name: String { "ImagePropertiesFilter" }

    public init() {}

    public func passes(host: HostState, spec: PlacementRequest) -> Bool {
        if let wanted = spec.imageArchitecture, host.architecture != wanted { return false }
        if let wanted = spec.imageHypervisorType, !host.hypervisorTypes.contains(wanted) { return false }
        return true
    }
}
