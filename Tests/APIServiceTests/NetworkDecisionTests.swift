import APIService
import Foundation
import Messaging
import Schemas
import Testing

@Suite struct NetworkDecisionTests {
    @Test func serverNetworksParseLikeNova() throws {
        #expect(try ServerNetworks.parse(nil, maxCount: 1) == .unspecified)
        #expect(try ServerNetworks.parse("auto", maxCount: 3) == .auto)
        #expect(try ServerNetworks.parse("none", maxCount: 1) == .none)
        let list = try ServerNetworks.parse([["uuid": "n1"], ["uuid": "n2", "fixed_ip": "10.0.0.5"], ["port": "p1"]], maxCount: 1)
        guard case .list(let nics) = list else { Issue.record("expected a list"); return }
        #expect(nics.map(\.networkID) == ["n1", "n2", nil])
        #expect(nics[1].fixedIP == "10.0.0.5")
        #expect(nics[2].portID == "p1")
        for (value, count, expected) in [
            ("everything" as JSONValue, 1, "networks"),
            ([["fixed_ip": "10.0.0.5"]], 1, "uuid"),
            ([["uuid": "n", "fixed_ip": "10.0.0.300"]], 1, "not an IPv4 address"),
            ([["port": "p"]], 2, "single configured port"),
            ([["port": "p"], ["port": "p"]], 1, "only once"),
        ] {
            #expect(throws: APIError.self) { try ServerNetworks.parse(value, maxCount: count) }
            do { _ = try ServerNetworks.parse(value, maxCount: count) } catch let e as APIError {
                #expect(e.message.contains(expected), "\(value): \(e.message)")
            }
        }
    }

    @Test func neutronQueryFiltersAndFields() {
        let q = NeutronQuery(pairs: [("name", "a"), ("name", "b"), ("shared", "True"), ("fields", "id"), ("fields", "name"), ("limit", "5")])
        #expect(q.filters["name"] == ["a", "b"])
        #expect(q.filters["limit"] == nil)
        #expect(q.matches(["id": "1", "name": "b", "shared": true]))
        #expect(!q.matches(["id": "1", "name": "c", "shared": true]))
        #expect(!q.matches(["id": "1", "name": "a", "shared": false]))
        #expect(q.project(["id": "1", "name": "a", "shared": true]) == ["id": "1", "name": "a"])
        let ips = NeutronQuery(pairs: [("fixed_ips", "ip_address=10.0.0.5"), ("unknown_filter", "x")])
        #expect(ips.matches(["fixed_ips": [["subnet_id": "s", "ip_address": "10.0.0.5"]]]))
        #expect(!ips.matches(["fixed_ips": [["subnet_id": "s", "ip_address": "10.0.0.6"]]]))
    }

    @Test func addressesViewGroupsByNetwork() {
        let view = ServerView.addresses([("public", "172.24.4.5", "fa:16:3e:00:00:01"), ("public", "172.24.4.6", "fa:16:3e:00:00:02"), ("private", "10.0.0.2", "fa:16:3e:00:00:03")])
        #expect(view.at("public", "1", "addr") == "172.24.4.6")
        #expect(view.at("private", "0", "OS-EXT-IPS-MAC:mac_addr") == "fa:16:3e:00:00:03")
        #expect(view.at("private", "0", "OS-EXT-IPS:type") == "fixed")
    }

    @Test func metadataUpdatesAreSplitBySize() {
        func doc(_ i: Int, userData: Int) -> InstanceMetadata {
            InstanceMetadata(
                uuid: "u\(i)", internalID: i, name: "n", hostname: "n", projectID: "p", userID: "u", reservationID: "r-1",
                userData: String(repeating: "A", count: userData), flavorName: "f", imageID: "i", imageInternalID: 1, createdAt: "t")
        }
        let small = (0..<50).map { doc($0, userData: 0) }
        #expect(NetworkNotifier.chunks(small).map(\.count) == [50])
        let big = (0..<20).map { doc($0, userData: 65535) }
        let parts = NetworkNotifier.chunks(big)
        #expect(parts.count > 1)
        #expect(parts.flatMap { $0 }.map(\.uuid) == big.map(\.uuid))
        #expect(parts.allSatisfy { $0.count <= 7 })
        #expect(NetworkNotifier.chunks([]).isEmpty)
    }
}
