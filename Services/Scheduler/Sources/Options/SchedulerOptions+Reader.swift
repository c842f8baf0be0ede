import ServiceKit

extension SchedulerOptions {
    /// Reads the options from a daemon's configuration (see the table on ``SchedulerOptions``).
    ///
    /// - Throws: `ConfigurationError` naming the option, its value and where it was set, when a
    ///   value has the wrong type or is out of range, or a filter name is unknown.
    public init(reader: CirrusConfigReader, configuration: CirrusConfiguration) throws {
        self.init()
        serviceDownTime = configuration.default.serviceDownTime.seconds
        ramAllocationRatio = try Self.positive(reader, "DEFAULT.ram_allocation_ratio", default: ramAllocationRatio)
        cpuAllocationRatio = try Self.positive(reader, "DEFAULT.cpu_allocation_ratio", default: cpuAllocationRatio)
        diskAllocationRatio = try Self.positive(reader, "DEFAULT.disk_allocation_ratio", default: diskAllocationRatio)
        enabledFilters = try reader.value("filter_scheduler.enabled_filters", default: enabledFilters)
        for name in enabledFilters where !Self.allFilters.contains(Self.canonicalFilterName(name)) {
            throw reader.invalidValue(
                "filter_scheduler.enabled_filters",
                expected: "a comma-separated list of " + Self.allFilters.joined(separator: ", ") + " ('\(name)' is unknown)")
        }
        ramWeightMultiplier = try reader.value("filter_scheduler.ram_weight_multiplier", default: ramWeightMultiplier)
        instanceCountWeightMultiplier = try reader.value(
            "filter_scheduler.instance_count_weight_multiplier", default: instanceCountWeightMultiplier)
        hostSubsetSize = try reader.value("filter_scheduler.host_subset_size", default: hostSubsetSize)
        if hostSubsetSize < 1 {
            throw reader.invalidValue("filter_scheduler.host_subset_size", expected: "an integer of at least 1")
        }
        maxAttempts = try reader.value("scheduler.max_attempts", default: maxAttempts)
        if maxAttempts < 1 || maxAttempts > SelectionLimits.maxAttempts {
            throw reader.invalidValue("scheduler.max_attempts", expected: "an integer from 1 to \(SelectionLimits.maxAttempts)")
        }
        claimTimeout = try reader.value("scheduler.claim_timeout", default: Duration.seconds(claimTimeout)).seconds
    }

    private static func positive(_ reader: CirrusConfigReader, _ key: String, default value: Double) throws -> Double {
        let read = try reader.value(key, default: value)
        guard read > 0 else { throw reader.invalidValue(key, expected: "a number greater than 0") }
        return read
    }
}
