import APIService
import Foundation
import Hummingbird
import HummingbirdTesting
import Messaging
import Schemas
import Testing

extension Client {
    /// A flat network with one subnet; returns their ids.
    func makeNetwork(
        _ token: String, name: String = "public", cidr: String = "172.24.4.0/24", shared: Bool = false,
        subnet extra: [String: JSONValue] = [:]
    ) async throws -> (network: String, subnet: String) {
        var network: [String: JSONValue] = ["name": .string(name)]
        if shared { network["shared"] = true }
        let n = try await send(.post, "/networking/v2.0/networks", token: token, json: ["network": .object(network)])
        guard n.status == .created, let id = n.json.at("network", "id")?.stringValue else { throw TestFailure("network create: \(n.status) \(n.text)") }
        var subnet: [String: JSONValue] = ["network_id": .string(id), "cidr": .string(cidr), "ip_version": 4, "name": .string(name + "-subnet")]
        for (k, v) in extra { subnet[k] = v }
        let s = try await send(.post, "/networking/v2.0/subnets", token: token, json: ["subnet": .object(subnet)])
        guard s.status == .created, let sid = s.json.at("subnet", "id")?.stringValue else { throw TestFailure("subnet create: \(s.status) \(s.text)") }
        return (id, sid)
    }
}

@Suite struct NetworkAPITests {
    @Test func networkSubnetPortCRUDAsTheClientSendsIt() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let admin = try await c.token("admin", "s3cret")
            #expect(try await c.send(.get, "/networking").json.at("versions", "0", "id") == "v2.0")
            #expect(try await c.send(.get, "/network").json.at("versions", "0", "id") == "v2.0")
            let created = try await c.send(.post, "/networking/v2.0/networks", token: admin, json: [
                "network": ["name": "public", "provider:network_type": "flat", "provider:physical_network": "public", "shared": true],
            ])
            #expect(created.status == .created)
            let net = created.json.at("network")!
            let netID = net["id"]!.stringValue!
            #expect(net["provider:physical_network"] == "public")
            #expect(net["mtu"] == 1500)
            #expect(net["status"] == "ACTIVE")
            #expect(net["router:external"] == false)
            let subnet = try await c.send(.post, "/networking/v2.0/subnets", token: admin, json: [
                "subnet": [
                    "name": "public-subnet", "network_id": .string(netID), "ip_version": 4, "cidr": "172.24.4.0/24",
                    "gateway_ip": "172.24.4.1", "allocation_pools": [["start": "172.24.4.10", "end": "172.24.4.20"]],
                    "dns_nameservers": ["8.8.8.8"], "enable_dhcp": true,
                ],
            ])
            #expect(subnet.status == .created)
            let subnetID = subnet.json.at("subnet", "id")!.stringValue!
            #expect(subnet.json.at("subnet", "allocation_pools", "0", "start") == "172.24.4.10")
            // The same routes answer under /network (the catalog's URL).
            let shown = try await c.send(.get, "/network/v2.0/networks/\(netID)", token: admin).json.at("network")!
            #expect(shown["subnets"] == [.string(subnetID)])
            #expect(try await c.send(.get, "/networking/v2.0/networks/public", token: admin).status == .notFound)
            #expect(try await c.send(.get, "/networking/v2.0/networks?name=public", token: admin).json.at("networks", "0", "id") == .string(netID))
            #expect(try await c.send(.get, "/networking/v2.0/networks?name=nope", token: admin).json.at("networks") == [])
            // Ports: the first free address of the pool, explicit addresses, filters.
            let port = try await c.send(.post, "/networking/v2.0/ports", token: admin, json: ["port": ["network_id": .string(netID), "name": "p1"]])
            #expect(port.status == .created)
            #expect(port.json.at("port", "fixed_ips", "0", "ip_address") == "172.24.4.10")
            #expect(port.json.at("port", "mac_address")?.stringValue?.hasPrefix("fa:16:3e:") == true)
            #expect(port.json.at("port", "status") == "DOWN")
            let portID = port.json.at("port", "id")!.stringValue!
            let fixed = try await c.send(.post, "/networking/v2.0/ports", token: admin, json: [
                "port": ["network_id": .string(netID), "fixed_ips": [["ip_address": "172.24.4.50"]], "device_owner": "compute:nova", "device_id": "dev1"],
            ])
            #expect(fixed.json.at("port", "fixed_ips", "0", "subnet_id") == .string(subnetID))
            let taken = try await c.send(.post, "/networking/v2.0/ports", token: admin, json: [
                "port": ["network_id": .string(netID), "fixed_ips": [["ip_address": "172.24.4.50"]]],
            ])
            #expect(taken.status == .conflict)
            #expect(taken.json.at("NeutronError", "type") == "IpAddressAlreadyAllocated")
            let gateway = try await c.send(.post, "/networking/v2.0/ports", token: admin, json: [
                "port": ["network_id": .string(netID), "fixed_ips": [["ip_address": "172.24.4.1"]]],
            ])
            #expect(gateway.status == .conflict)
            let byIP = try await c.send(.get, "/networking/v2.0/ports?fixed_ips=ip_address%3D172.24.4.50", token: admin).json.at("ports")!.arrayValue
            #expect(byIP.map { $0["device_id"] } == ["dev1"])
            #expect(try await c.send(.get, "/networking/v2.0/ports?device_id=dev1&device_owner=compute:nova", token: admin).json.at("ports")!.arrayValue.count == 1)
            #expect(try await c.send(.get, "/networking/v2.0/ports?network_id=\(netID)", token: admin).json.at("ports")!.arrayValue.count == 2)
            let fields = try await c.send(.get, "/networking/v2.0/ports?name=p1&fields=id&fields=name", token: admin).json.at("ports", "0")!
            #expect(fields == ["id": .string(portID), "name": "p1"])
            // Updates.
            let renamed = try await c.send(.put, "/networking/v2.0/ports/\(portID)", token: admin, json: ["port": ["name": "p2", "binding:host_id": "compute1"]])
            #expect(renamed.json.at("port", "name") == "p2")
            #expect(renamed.json.at("port", "binding:host_id") == "compute1")
            #expect(renamed.json.at("port", "revision_number") == 2)
            // Changing the addresses: keep one, add an explicit one, release the rest.
            let readdressed = try await c.send(.put, "/networking/v2.0/ports/\(portID)", token: admin, json: [
                "port": ["fixed_ips": [["ip_address": "172.24.4.10"], ["ip_address": "172.24.4.60"]]],
            ])
            #expect(readdressed.json.at("port", "fixed_ips")?.arrayValue.compactMap { $0["ip_address"]?.stringValue } == ["172.24.4.10", "172.24.4.60"])
            let moved = try await c.send(.put, "/networking/v2.0/ports/\(portID)", token: admin, json: ["port": ["fixed_ips": [["ip_address": "172.24.4.60"]]]])
            #expect(moved.json.at("port", "fixed_ips")?.arrayValue.count == 1)
            #expect(try await c.send(.put, "/networking/v2.0/ports/\(portID)", token: admin, json: ["port": ["fixed_ips": [["ip_address": "172.24.4.50"]]]]).status == .conflict)
            let sub2 = try await c.send(.put, "/networking/v2.0/subnets/\(subnetID)", token: admin, json: ["subnet": ["name": "renamed", "dns_nameservers": ["1.1.1.1"]]])
            #expect(sub2.json.at("subnet", "dns_nameservers") == ["1.1.1.1"])
            let net2 = try await c.send(.put, "/networking/v2.0/networks/\(netID)", token: admin, json: ["network": ["name": "public2"]])
            #expect(net2.json.at("network", "name") == "public2")
            // Subnet and network in use: 409 until the ports are gone.
            let subnetInUse = try await c.send(.delete, "/networking/v2.0/subnets/\(subnetID)", token: admin)
            #expect(subnetInUse.status == .conflict)
            #expect(subnetInUse.json.at("NeutronError", "type") == "SubnetInUse")
            let netInUse = try await c.send(.delete, "/networking/v2.0/networks/\(netID)", token: admin)
            #expect(netInUse.json.at("NeutronError", "type") == "NetworkInUse")
            #expect(try await c.send(.delete, "/networking/v2.0/ports/\(portID)", token: admin).status == .noContent)
            #expect(try await c.send(.delete, "/networking/v2.0/ports/\(fixed.json.at("port", "id")!.stringValue!)", token: admin).status == .noContent)
            #expect(try await c.send(.get, "/networking/v2.0/ports/\(portID)", token: admin).json.at("NeutronError", "type") == "PortNotFound")
            #expect(try await c.send(.delete, "/networking/v2.0/subnets/\(subnetID)", token: admin).status == .noContent)
            #expect(try await c.send(.delete, "/networking/v2.0/networks/\(netID)", token: admin).status == .noContent)
            #expect(try await c.send(.get, "/networking/v2.0/networks/\(netID)", token: admin).json.at("NeutronError", "type") == "NetworkNotFound")
        }
        let methods = api.notifications.methods
        #expect(methods.first == "network_create_end")
        for m in ["subnet_create_end", "port_create_end", "port_update_end", "subnet_update_end", "network_update_end", "port_delete_end", "subnet_delete_end", "network_delete_end"] {
            #expect(methods.contains(m), "missing \(m)")
        }
    }

    @Test func validationErrorsAreNeutronShaped() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let admin = try await c.token("admin", "s3cret")
            let vxlan = try await c.send(.post, "/networking/v2.0/networks", token: admin, json: ["network": ["name": "x", "provider:network_type": "vxlan"]])
            #expect(vxlan.status == .badRequest)
            #expect(vxlan.json.at("NeutronError", "message")?.stringValue?.contains("flat") == true)
            #expect(vxlan.json.at("NeutronError", "detail") == "")
            let (net, _) = try await c.makeNetwork(admin, cidr: "10.0.0.0/24")
            for (body, expected) in [
                (["network_id": .string(net), "cidr": "10.0.0.0/24"] as [String: JSONValue], "overlaps"),
                (["network_id": .string(net), "cidr": "10.9.0.5/24"], "not a valid IPv4 CIDR"),
                (["network_id": .string(net), "cidr": "10.9.0.0/24", "ip_version": 6], "ip_version 6"),
                (["network_id": .string(net), "cidr": "10.9.0.0/24", "gateway_ip": "10.8.0.1"], "not a host address"),
                (["network_id": .string(net), "cidr": "10.9.0.0/24", "allocation_pools": [["start": "10.9.0.1", "end": "10.9.0.9"]]], "conflicts with allocation pool"),
                (["network_id": "missing", "cidr": "10.9.0.0/24"], "could not be found"),
            ] {
                let r = try await c.send(.post, "/networking/v2.0/subnets", token: admin, json: ["subnet": .object(body)])
                #expect(r.status.code >= 400 && r.status.code < 500)
                #expect(r.json.at("NeutronError", "message")?.stringValue?.contains(expected) == true, "\(body): \(r.text)")
            }
            let noGateway = try await c.send(.post, "/networking/v2.0/subnets", token: admin, json: [
                "subnet": ["network_id": .string(net), "cidr": "10.9.0.0/24", "gateway_ip": nil],
            ])
            #expect(noGateway.json.at("subnet", "gateway_ip") == .null)
            #expect(noGateway.json.at("subnet", "allocation_pools", "0", "start") == "10.9.0.1")
            let member = try await c.token("demo", "demo")
            let provider = try await c.send(.post, "/networking/v2.0/networks", token: member, json: ["network": ["name": "m", "provider:physical_network": "public"]])
            #expect(provider.status == .forbidden)
        }
    }

    @Test func projectsSeeTheirOwnAndSharedNetworks() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let admin = try await c.token("admin", "s3cret")
            let demo = try await c.token("demo", "demo")
            let other = try await c.token("other", "other")
            let (shared, _) = try await c.makeNetwork(admin, name: "public", shared: true)
            let (priv, _) = try await c.makeNetwork(demo, name: "private", cidr: "10.0.0.0/24")
            let seen = try await c.send(.get, "/networking/v2.0/networks", token: other).json.at("networks")!.arrayValue.map { $0["id"] }
            #expect(seen == [.string(shared)])
            #expect(try await c.send(.get, "/networking/v2.0/networks/\(priv)", token: other).status == .notFound)
            #expect(try await c.send(.get, "/networking/v2.0/subnets", token: other).json.at("subnets")!.arrayValue.count == 1)
            #expect(try await c.send(.get, "/networking/v2.0/networks", token: demo).json.at("networks")!.arrayValue.count == 2)
            #expect(try await c.send(.delete, "/networking/v2.0/networks/\(shared)", token: demo).status == .forbidden)
        }
    }

    @Test func exhaustedSubnetGivesIpAddressGenerationFailure() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let admin = try await c.token("admin", "s3cret")
            let (net, _) = try await c.makeNetwork(admin, cidr: "10.0.0.0/30")  // one host besides the gateway
            #expect(try await c.send(.post, "/networking/v2.0/ports", token: admin, json: ["port": ["network_id": .string(net)]]).status == .created)
            let full = try await c.send(.post, "/networking/v2.0/ports", token: admin, json: ["port": ["network_id": .string(net)]])
            #expect(full.status == .conflict)
            #expect(full.json.at("NeutronError", "type") == "IpAddressGenerationFailure")
        }
    }
}
