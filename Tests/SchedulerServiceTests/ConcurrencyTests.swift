import Foundation
import Messaging
import SchedulerService
import Schemas
import Storage
import Testing

@Suite struct ConcurrencyTests {
    @Test func concurrentRequestsNeverOversubscribeAHost() async throws {
        var options = SchedulerOptions()
        options.ramAllocationRatio = 1.5
        options.cpuAllocationRatio = 2.0
        let manager = try await Fixture.manager(options: options)
        // 4 hosts: 2 vCPUs × 2.0 = 4 instances each by CPU, 2048 MB × 1.5 = 6 by RAM.
        for name in ["h1", "h2", "h3", "h4"] {
            try await manager.updateHostState(Fixture.report(name, vcpus: 2, memoryMB: 2048), logger: Fixture.logger)
        }
        let spec = Fixture.spec(vcpus: 1, memoryMB: 512)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<1_000 {
                group.addTask {
                    do {
                        _ = try await Fixture.select(manager, ["vm-\(i)"], spec: spec)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var placed = 0
            for await ok in group where ok { placed += 1 }
            return placed
        }
        #expect(outcomes == 16)
        #expect(manager.claims.count == 16)
        for host in manager.hosts {
            #expect(Double(host.used.vcpus) <= Double(host.vcpus) * options.cpuAllocationRatio)
            #expect(Double(host.used.memoryMB) <= Double(host.memoryMB) * options.ramAllocationRatio)
            let claimed = manager.claims.values.filter { $0.host == host.host }.reduce(Resources.zero) { $0 + $1.resources }
            #expect(claimed == host.claimed)
        }
    }

    @Test func concurrentReleasesAndReselectsKeepTotalsConsistent() async throws {
        let manager = try await Fixture.manager()
        for name in ["h1", "h2"] {
            try await manager.updateHostState(Fixture.report(name, vcpus: 64, memoryMB: 65536, localGB: 1000), logger: Fixture.logger)
        }
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask {
                    _ = try? await Fixture.select(manager, ["vm-\(i % 50)"])
                    if i % 3 == 0 { try? await manager.releaseClaim(instanceUUID: "vm-\(i % 50)", logger: Fixture.logger) }
                }
            }
        }
        let total = manager.hosts.reduce(Resources.zero) { $0 + $1.claimed }
        let fromClaims = manager.claims.values.reduce(Resources.zero) { $0 + $1.resources }
        #expect(total == fromClaims)
        #expect(manager.claims.count <= 50)
    }
}
