import APIService
import Foundation
import Schemas
import Storage
import Testing

@Suite struct IPAMTests {
    func ipam(_ cidr: String, gateway: String? = nil, pools: [(String, String)]) -> IPAM {
        IPAM(cidr: cidr, gatewayIP: gateway, pools: pools.map { (start: $0.0, end: $0.1) })!
    }

    @Test func parsesAddressesAndNetworks() {
        #expect(IPv4.parse("172.24.4.5") == 0xAC18_0405)
        #expect(IPv4.format(0xAC18_0405) == "172.24.4.5")
        for bad in ["", "1.2.3", "1.2.3.256", "01.2.3.4.5", "a.b.c.d", "1.2.3.-1"] { #expect(IPv4.parse(bad) == nil) }
        let net = IPv4Network(cidr: "10.0.0.0/24")!
        #expect(net.hosts == IPv4.parse("10.0.0.1")!...IPv4.parse("10.0.0.254")!)
        #expect(IPv4Network(cidr: "10.0.0.1/24") == nil)  // host bits set
        #expect(IPv4Network(cidr: "10.0.0.0/33") == nil)
        #expect(IPv4Network(cidr: "10.0.0.0/25")!.overlaps(IPv4Network(cidr: "10.0.0.0/24")!))
        #expect(!IPv4Network(cidr: "10.0.1.0/24")!.overlaps(IPv4Network(cidr: "10.0.0.0/24")!))
    }

    @Test func subnetDefaultsAreNeutrons() throws {
        let a = try SubnetPlan.addressing(cidr: "172.24.4.0/24", gateway: .defaulted, pools: nil)
        #expect(a.gatewayIP == "172.24.4.1")
        #expect(a.pools == [AllocationPool(start: "172.24.4.2", end: "172.24.4.254")])
        let mid = try SubnetPlan.addressing(cidr: "10.0.0.0/29", gateway: .address("10.0.0.4"), pools: nil)
        #expect(mid.pools == [AllocationPool(start: "10.0.0.1", end: "10.0.0.3"), AllocationPool(start: "10.0.0.5", end: "10.0.0.6")])
        let none = try SubnetPlan.addressing(cidr: "10.0.0.0/29", gateway: .none, pools: nil)
        #expect(none.gatewayIP == nil)
        #expect(none.pools == [AllocationPool(start: "10.0.0.1", end: "10.0.0.6")])
    }

    @Test func subnetValidationSaysWhatIsWrong() {
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch let e as APIError { return "\(e.type ?? "") \(e.message)" } catch { return "\(error)" }
            return "accepted"
        }
        #expect(message { _ = try SubnetPlan.addressing(cidr: "10.0.0.1/24", gateway: .defaulted, pools: nil) }.contains("not a valid IPv4 CIDR"))
        #expect(message { _ = try SubnetPlan.addressing(cidr: "10.0.0.0/24", gateway: .address("10.0.1.1"), pools: nil) }.contains("not a host address"))
        #expect(message { _ = try SubnetPlan.addressing(cidr: "10.0.0.0/24", gateway: .defaulted, pools: [AllocationPool(start: "10.0.0.10", end: "10.0.1.5")]) }.hasPrefix("OutOfBoundsAllocationPool"))
        #expect(message { _ = try SubnetPlan.addressing(cidr: "10.0.0.0/24", gateway: .defaulted, pools: [AllocationPool(start: "10.0.0.1", end: "10.0.0.5")]) }.hasPrefix("GatewayConflictWithAllocationPools"))
        #expect(message {
            _ = try SubnetPlan.addressing(cidr: "10.0.0.0/24", gateway: .defaulted, pools: [AllocationPool(start: "10.0.0.10", end: "10.0.0.20"), AllocationPool(start: "10.0.0.20", end: "10.0.0.30")])
        }.hasPrefix("OverlappingAllocationPools"))
        #expect(message { _ = try SubnetPlan.addressing(cidr: "10.0.0.0/24", gateway: .defaulted, pools: [AllocationPool(start: "10.0.0.20", end: "10.0.0.10")]) }.contains("start is after end"))
    }

    @Test func nextFreeRespectsPoolsGatewayAndUse() {
        let i = ipam("10.0.0.0/24", gateway: "10.0.0.1", pools: [("10.0.0.100", "10.0.0.101"), ("10.0.0.10", "10.0.0.11")])
        #expect(i.nextFree(excluding: []).map(IPv4.format) == "10.0.0.100")  // pools in order
        #expect(i.allocate(4, excluding: [])!.map(IPv4.format) == ["10.0.0.100", "10.0.0.101", "10.0.0.10", "10.0.0.11"])
        #expect(i.nextFree(excluding: [IPv4.parse("10.0.0.100")!]).map(IPv4.format) == "10.0.0.101")
        #expect(i.allocate(5, excluding: []) == nil)
        // A pool that (wrongly) covers the gateway, network and broadcast never hands them out.
        let wide = ipam("10.0.0.0/30", gateway: "10.0.0.1", pools: [("10.0.0.0", "10.0.0.3")])
        #expect(wide.allocate(1, excluding: [])!.map(IPv4.format) == ["10.0.0.2"])
        #expect(wide.nextFree(excluding: [IPv4.parse("10.0.0.2")!]) == nil)
    }

    @Test func exhaustionIsAnErrorNotACrash() {
        let i = ipam("10.0.0.0/29", gateway: "10.0.0.1", pools: [("10.0.0.2", "10.0.0.6")])
        let all = i.allocate(5, excluding: [])!
        #expect(Set(all).count == 5)
        #expect(!all.contains(IPv4.parse("10.0.0.1")!))
        #expect(i.nextFree(excluding: Set(all)) == nil)
        #expect(i.freeCount(excluding: Set(all)) == 0)
        #expect(IPAMError.exhausted(subnetID: "s").apiError.type == "IpAddressGenerationFailure")
        #expect(IPAMError.exhausted(subnetID: "s").apiError.status == .conflict)
    }

    @Test func explicitAddresses() throws {
        let i = ipam("10.0.0.0/24", gateway: "10.0.0.1", pools: [("10.0.0.100", "10.0.0.110")])
        try i.validateExplicit(IPv4.parse("10.0.0.50")!, used: [], subnetID: "s")  // outside the pools, inside the CIDR: allowed
        #expect(throws: IPAMError.gateway("10.0.0.1", "s")) { try i.validateExplicit(IPv4.parse("10.0.0.1")!, used: [], subnetID: "s") }
        #expect(throws: IPAMError.alreadyAllocated("10.0.0.50", "s")) {
            try i.validateExplicit(IPv4.parse("10.0.0.50")!, used: [IPv4.parse("10.0.0.50")!], subnetID: "s")
        }
        #expect(throws: IPAMError.invalidForSubnet("10.0.1.5", "s")) { try i.validateExplicit(IPv4.parse("10.0.1.5")!, used: [], subnetID: "s") }
        #expect(throws: IPAMError.invalidForSubnet("10.0.0.255", "s")) { try i.validateExplicit(IPv4.parse("10.0.0.255")!, used: [], subnetID: "s") }
        #expect(IPAMError.alreadyAllocated("a", "s").apiError.type == "IpAddressAlreadyAllocated")
    }

    @Test func concurrentAllocationsOnDiskGetDistinctAddresses() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ipam-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let api = try TestAPI(databasePath: path)
        let db = api.environment.database
        let now = Date()
        let net = try await api.run { c in
            let admin = try await c.token("admin", "s3cret")
            return try await c.makeNetwork(admin, name: "n", cidr: "10.1.0.0/26").network
        }
        // 61 addresses, 70 concurrent requests: 61 distinct successes, 9 clean exhaustion errors.
        let results = await withTaskGroup(of: Result<String, APIError>.self) { group in
            for _ in 0..<70 {
                group.addTask {
                    do {
                        let port = try await db.write { db in
                            var allocator = PortAllocator()
                            return try allocator.create(db, PortRequest(networkID: net, projectID: "p"), now: now)
                        }
                        return .success(port.fixedIPs[0].ipAddress)
                    } catch let e as APIError {
                        return .failure(e)
                    } catch {
                        return .failure(APIError(.internalServerError, "\(error)"))
                    }
                }
            }
            var out: [Result<String, APIError>] = []
            for await r in group { out.append(r) }
            return out
        }
        let ips = results.compactMap { try? $0.get() }
        #expect(ips.count == 61)
        #expect(Set(ips).count == 61)
        #expect(!ips.contains("10.1.0.1"))
        let failures = results.compactMap { if case .failure(let e) = $0 { e } else { nil } }
        #expect(failures.count == 9)
        #expect(failures.allSatisfy { $0.type == "IpAddressGenerationFailure" })
        let macs = try await db.read { db in try String.fetchAll(db, sql: "SELECT mac_address FROM ports") }
        #expect(Set(macs).count == 61)
        #expect(macs.allSatisfy { $0.hasPrefix("fa:16:3e:") && MACAddress.isValid($0) })
    }

    @Test func uuid5AndReservationIDs() {
        #expect(UUIDv5.make(name: "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
        #expect(ConductorManager.dhcpDeviceID(host: "python.org", networkID: "n1") == "dhcp886313e1-3b8a-5372-9b90-0c9aee199e5d-n1")
        let r = InstanceMetadataBuilder.reservationID(createRequestID: "req-1")
        #expect(r.count == 10 && r.hasPrefix("r-"))
        #expect(r == InstanceMetadataBuilder.reservationID(createRequestID: "req-1"))
        #expect(r != InstanceMetadataBuilder.reservationID(createRequestID: "req-2"))
    }
}
