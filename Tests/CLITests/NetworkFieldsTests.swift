import Messaging
import Testing
@testable import CLI

@Suite struct NetworkFieldsTests {
    let port: JSONValue = [
        "id": "p1", "name": "", "network_id": "n1", "mac_address": "fa:16:3e:00:00:01", "status": "ACTIVE",
        "fixed_ips": [["subnet_id": "s1", "ip_address": "10.0.0.5"], ["subnet_id": "s2", "ip_address": "10.1.0.5"]],
        "device_id": "u-1", "device_owner": "compute:nova", "binding:host_id": "e2e-1", "admin_state_up": true,
        "tenant_id": "proj", "project_id": "proj",
    ]

    @Test func portListFixedIPColumnLikeTheClient() throws {
        let row = NetworkFields.portRow(port)
        #expect(row[3].human == "ip_address='10.0.0.5', subnet_id='s1'\nip_address='10.1.0.5', subnet_id='s2'")
        #expect(row[3].machine == port["fixed_ips"])
        let one: JSONValue = ["id": "p2", "name": "x", "mac_address": "fa:16:3e:00:00:02", "status": "DOWN",
                              "fixed_ips": [["subnet_id": "s1", "ip_address": "10.0.0.6"]]]
        #expect(try TableFormatter().list(headers: NetworkFields.portHeaders, rows: [NetworkFields.portRow(one)]) == """
            +----+------+-------------------+---------------------------------------+--------+
            | ID | Name | MAC Address       | Fixed IP Addresses                    | Status |
            +----+------+-------------------+---------------------------------------+--------+
            | p2 | x    | fa:16:3e:00:00:02 | ip_address='10.0.0.6', subnet_id='s1' | DOWN   |
            +----+------+-------------------+---------------------------------------+--------+

            """)
    }

    @Test func portShowFormatsStateAndKeepsJSON() throws {
        let fields = Dictionary(uniqueKeysWithValues: NetworkFields.port(port).map { ($0.0, $0.1) })
        #expect(fields["admin_state_up"]?.human == "UP" && fields["admin_state_up"]?.machine == true)
        #expect(fields["tenant_id"] == nil && fields["project_id"]?.human == "proj")
        #expect(fields["binding:host_id"]?.human == "e2e-1")
        let json = try TableFormatter(format: .json, columns: ["fixed_ips"], noIndent: true).show(NetworkFields.port(port))
        #expect(json == #"{"fixed_ips": [{"ip_address": "10.0.0.5", "subnet_id": "s1"}, {"ip_address": "10.1.0.5", "subnet_id": "s2"}]}"# + "\n")
    }

    @Test func networkListAndShow() throws {
        let net: JSONValue = [
            "id": "n1", "name": "public", "subnets": ["s2", "s1"], "status": "ACTIVE", "shared": true, "admin_state_up": false,
            "mtu": 1500, "provider:network_type": "flat", "provider:physical_network": "public", "router:external": false,
            "project_id": "proj", "revision_number": 2,
        ]
        #expect(NetworkFields.networkRow(net).map(\.human) == ["n1", "public", "s1, s2"])
        #expect(try TableFormatter(format: .value).list(headers: NetworkFields.networkHeaders, rows: [NetworkFields.networkRow(net)])
                == "n1 public s1, s2\n")
        let fields = Dictionary(uniqueKeysWithValues: NetworkFields.network(net).map { ($0.0, $0.1.human) })
        #expect(fields["admin_state_up"] == "DOWN" && fields["router:external"] == "Internal" && fields["shared"] == "True")
        #expect(fields["provider:network_type"] == "flat" && fields["mtu"] == "1500" && fields["subnets"] == "s1, s2")
        #expect(NetworkFields.network(net).map(\.0) == NetworkFields.network(net).map(\.0).sorted())
    }

    @Test func subnetListAndShow() {
        let subnet: JSONValue = [
            "id": "s1", "name": "pub-subnet", "network_id": "n1", "cidr": "10.0.0.0/24", "gateway_ip": "10.0.0.1",
            "allocation_pools": [["start": "10.0.0.2", "end": "10.0.0.99"], ["start": "10.0.0.150", "end": "10.0.0.254"]],
            "dns_nameservers": ["10.0.0.1", "1.1.1.1"], "enable_dhcp": true, "ip_version": 4,
            "host_routes": [["destination": "192.168.0.0/16", "nexthop": "10.0.0.254"]],
        ]
        #expect(NetworkFields.subnetRow(subnet).map(\.human) == ["s1", "pub-subnet", "n1", "10.0.0.0/24"])
        let fields = Dictionary(uniqueKeysWithValues: NetworkFields.subnet(subnet).map { ($0.0, $0.1) })
        #expect(fields["allocation_pools"]?.human == "10.0.0.2-10.0.0.99,10.0.0.150-10.0.0.254")
        #expect(fields["allocation_pools"]?.machine == subnet["allocation_pools"])
        #expect(fields["host_routes"]?.human == "destination='192.168.0.0/16', gateway='10.0.0.254'")
        #expect(fields["host_routes"]?.machine == subnet["host_routes"])
        #expect(fields["dns_nameservers"]?.human == "10.0.0.1, 1.1.1.1")
        #expect(fields["enable_dhcp"]?.human == "True" && fields["gateway_ip"]?.human == "10.0.0.1")
    }

    @Test func serverNetworksColumnAndJSON() throws {
        let server: JSONValue = [
            "id": "u-1", "name": "demo", "status": "ACTIVE", "image": ["id": "i"], "flavor": ["id": "1"],
            "addresses": [
                "public": [["version": 4, "addr": "172.24.4.5", "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01"]],
                "private": [["version": 4, "addr": "10.0.0.3", "OS-EXT-IPS:type": "fixed"]],
            ],
        ]
        let row = ServerFields.listRow(server, images: [:], flavors: [:])
        #expect(row[3].human == "private=10.0.0.3; public=172.24.4.5")
        #expect(row[3].machine == ["private": ["10.0.0.3"], "public": ["172.24.4.5"]])
        let show = Dictionary(uniqueKeysWithValues: ServerFields.show(server, imageName: nil, flavorName: nil).map { ($0.0, $0.1) })
        #expect(show["addresses"]?.human == "private=10.0.0.3; public=172.24.4.5")
        #expect(try TableFormatter(format: .value, columns: ["Networks"]).list(headers: ServerFields.listHeaders, rows: [row])
                == "private=10.0.0.3; public=172.24.4.5\n")
    }
}
