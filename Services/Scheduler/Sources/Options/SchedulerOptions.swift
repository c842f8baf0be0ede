/// cirrus-scheduler's options, with Nova's defaults.
///
/// | option | section | default |
/// |---|---|---|
/// | `service_down_time` | `[DEFAULT]` | 60 s |
/// | `ram_allocation_ratio`, `cpu_allocation_ratio`, `disk_allocation_ratio` | `[DEFAULT]` | 1.5, 16.0, 1.0 |
/// | `enabled_filters` | `[filter_scheduler]` | all of ``SchedulerOptions/allFilters`` |
/// | `ram_weight_multiplier` | `[filter_scheduler]` | 1.0 (spread; negative packs) |
/// | `instance_count_weight_multiplier` | `[filter_scheduler]` | 0.0 (positive spreads, negative packs) |
/// | `host_subset_size` | `[filter_scheduler]` | 1 |
/// | `max_attempts` | `[scheduler]` | 3 |
/// | `claim_timeout` | `[scheduler]` | 3600 s |
public struct SchedulerOptions: Sendable, Equatable {
    /// Every filter, in the order they run.
    public static let allFilters = [
        "ComputeFilter", "AvailabilityZoneFilter", "ImagePropertiesFilter", "RAMFilter", "CoreFilter", "DiskFilter",
    ]

    /// Seconds without a report after which a host is down.
    public var serviceDownTime: Double = 60
    public var ramAllocationRatio: Double = 1.5
    public var cpuAllocationRatio: Double = 16.0
    public var diskAllocationRatio: Double = 1.0
    /// Filter names, run in this order.
    public var enabledFilters: [String] = SchedulerOptions.allFilters
    public var ramWeightMultiplier: Double = 1.0
    public var instanceCountWeightMultiplier: Double = 0.0
    /// The chosen host is picked at random among this many best hosts.
    public var hostSubsetSize: Int = 1
    /// Hosts returned per instance (the chosen one + alternates) when the request does not say.
    public var maxAttempts: Int = 3
    /// A claim whose instance a report from its host still does not show after this many
    /// seconds is dropped (its build died without `release_claim`).
    public var claimTimeout: Double = 3600

    public init() {}

    /// The filters, built from ``enabledFilters``.
    /// - Throws: ``SchedulerOptionsError`` naming an unknown filter and the known ones.
    public func filters() throws -> [any HostFilter] {
        try enabledFilters.map { name in
            switch Self.canonicalFilterName(name) {
            case "ComputeFilter": ComputeFilter(serviceDownTime: serviceDownTime)
            case "AvailabilityZoneFilter": AvailabilityZoneFilter()
            case "ImagePropertiesFilter": ImagePropertiesFilter()
            case "RAMFilter": RAMFilter(allocationRatio: ramAllocationRatio)
            case "CoreFilter": CoreFilter(allocationRatio: cpuAllocationRatio)
            case "DiskFilter": DiskFilter(allocationRatio: diskAllocationRatio)
            default: throw SchedulerOptionsError(
                "unknown filter '\(name)' in [filter_scheduler] enabled_filters; known filters: "
                    + Self.allFilters.joined(separator: ", "))
            }
        }
    }

    /// The weighers with their multipliers.
    public func weighers() -> [any HostWeigher] {
        [RAMWeigher(multiplier: ramWeightMultiplier), InstanceCountWeigher(multiplier: instanceCountWeightMultiplier)]
    }

    /// The selector for these options.
    public func selector() throws -> HostSelector {
        HostSelector(filters: try filters(), weighers: weighers())
    }

    /// Accepts Nova's spelling `RamFilter` for `RAMFilter`.
    static func canonicalFilterName(_ name: String) -> String {
        name == "RamFilter" ? "RAMFilter" : name
    }
}

/// An invalid scheduler option; the message names the option and what is allowed.
public struct SchedulerOptionsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
