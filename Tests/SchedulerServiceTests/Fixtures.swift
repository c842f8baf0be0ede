import Foundation
import Logging
import Messaging
import SchedulerService
import Schemas
import Storage
import Synchronization

/// Builders shared by the scheduler tests.
enum Fixture {
    static let now: Double = 1_700_000_000

    static let logger: Logger = {
        var l = Logger(label: "scheduler-tests")
        l.logLevel = .critical
        return l
    }()

    static func flavor(vcpus: Int = 1, memoryMB: Int = 512, rootGB: Int = 1, ephemeralGB: Int = 0, swapMB: Int = 0) -> FlavorSpec {
        FlavorSpec(id: "f", name: "test", vcpus: vcpus, memoryMB: memoryMB, rootGB: rootGB, ephemeralGB: ephemeralGB, swapMB: swapMB)
    }

    static func spec(
        vcpus: Int = 1, memoryMB: Int = 512, rootGB: Int = 1, zone: String? = nil, imageProperties: [String: String] = [:],
        ignore: [String] = [], force: [String] = []
    ) -> RequestSpec {
        RequestSpec(
            projectID: "p", flavor: flavor(vcpus: vcpus, memoryMB: memoryMB, rootGB: rootGB),
            image: ImageSpec(id: "img", name: "cirros", properties: imageProperties), availabilityZone: zone,
            ignoreHosts: ignore, forceHosts: force)
    }

    static func report(
        _ host: String, vcpus: Int = 4, memoryMB: Int = 4096, localGB: Int = 100, vcpusUsed: Int = 0,
        memoryMBUsed: Int = 0, localGBUsed: Int = 0, runningVMs: Int = 0, zone: String = "nova",
        instances: [String] = [], capabilities: [String: String] = [:], hypervisor: String = "qemu"
    ) -> HostReport {
        HostReport(
            host: host, nodename: host, hypervisorType: hypervisor, hostIP: "127.0.0.1", vcpus: vcpus, memoryMB: memoryMB,
            localGB: localGB, vcpusUsed: vcpusUsed, memoryMBUsed: memoryMBUsed, localGBUsed: localGBUsed,
            runningVMs: runningVMs, availabilityZone: zone, instanceUUIDs: instances, capabilities: capabilities)
    }

    static func host(_ report: HostReport, at time: Double = now) -> HostState {
        HostState(report: report, at: time, previous: nil)
    }

    static func request(_ spec: RequestSpec = spec(), at time: Double = now) -> PlacementRequest {
        PlacementRequest(spec: spec, now: time)
    }

    /// A settable clock for liveness tests.
    final class Clock: Sendable {
        private let value = Mutex(Fixture.now)
        var now: Double { value.withLock { $0 } }
        func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
    }

    static func manager(
        database: ServiceDatabase? = nil, options: SchedulerOptions = SchedulerOptions(), clock: Clock = Clock()
    ) async throws -> SchedulerManager {
        let db = try database ?? ServiceDatabase.inMemory(migrations: SchedulerDatabase.migrations)
        return try await SchedulerManager(database: db, options: options, logger: logger, clock: { clock.now })
    }

    static func select(
        _ manager: SchedulerManager, _ uuids: [String], spec: RequestSpec = spec(), maxAttempts: Int? = nil
    ) async throws -> [[Selection]] {
        try await manager.selectDestinations(
            SelectDestinationsArguments(spec: spec, instanceUUIDs: uuids, maxAttempts: maxAttempts), logger: logger
        ).selections
    }
}
