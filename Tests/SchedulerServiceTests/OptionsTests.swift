import SchedulerService
import ServiceKit
import Testing

@Suite struct OptionsTests {
    func options(_ text: String) throws -> SchedulerOptions {
        let reader = try CirrusConfigReader(files: [try INIParser().parse(text, path: "/etc/cirrus/cirrus.conf")])
        return try SchedulerOptions(reader: reader, configuration: try CirrusConfiguration(reader: reader))
    }

    @Test func defaultsAreNovas() throws {
        let o = try options("")
        #expect(o.maxAttempts == 3)
        #expect(o.hostSubsetSize == 1)
        #expect(o.ramAllocationRatio == 1.5 && o.cpuAllocationRatio == 16 && o.diskAllocationRatio == 1)
        #expect(o.ramWeightMultiplier == 1 && o.instanceCountWeightMultiplier == 0)
        #expect(o.enabledFilters == SchedulerOptions.allFilters)
        #expect(o.serviceDownTime == 60)
    }

    @Test func readsSectionsAndRejectsBadValues() throws {
        let o = try options("""
            [DEFAULT]
            service_down_time = 5
            ram_allocation_ratio = 1.0
            [filter_scheduler]
            enabled_filters = ComputeFilter, RamFilter
            ram_weight_multiplier = -1.0
            host_subset_size = 2
            [scheduler]
            max_attempts = 5
            """)
        #expect(o.serviceDownTime == 5 && o.ramAllocationRatio == 1.0 && o.ramWeightMultiplier == -1)
        #expect(try o.filters().map(\.name) == ["ComputeFilter", "RAMFilter"])
        #expect(o.hostSubsetSize == 2 && o.maxAttempts == 5)
        #expect(throws: ConfigurationError.self) { try options("[filter_scheduler]\nenabled_filters = NoSuchFilter\n") }
        #expect(throws: ConfigurationError.self) { try options("[scheduler]\nmax_attempts = 0\n") }
        #expect(throws: ConfigurationError.self) { try options("[DEFAULT]\ncpu_allocation_ratio = -2\n") }
    }
}
