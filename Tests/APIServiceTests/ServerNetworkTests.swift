import APIService
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import Schemas
import Testing

@Suite struct ServerNetworkTests {
    let log = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func bootCreatesThePortAndShowsAddresses() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let admin = try await c.token("admin", "s3cret")
            let (net, subnet) = try await c.makeNetwork(admin, shared: true, subnet: ["allocation_pools": [["start": "172.24.4.5", "end": "172.24.4.9"]]])
            let demo = try await c.token("demo", "demo")
            let image = try await c.activeImage(demo)
            let created = try await c.createServer(demo, image: image, name: "Demo VM", extra: ["networks": [["uuid": .string(net)]]])
            #expect(created.status == .accepted)
            let id = created.json.at("server", "id")!.stringValue!
            let ports = try await c.send(.get, "/networking/v2.0/ports?device_id=\(id)", token: demo).json.at("ports")!.arrayValue
            #expect(ports.count == 1)
            let port = ports[0]
            #expect(port["device_owner"] == "compute:nova")
            #expect(port["dns_name"] == "demo-vm")
            #expect(port.at("fixed_ips", "0", "ip_address") == "172.24.4.5")
            #expect(port.at("fixed_ips", "0", "subnet_id") == .string(subnet))
            #expect(port["binding:host_id"] == "compute1")  // bound when the scheduler chose the host
            // The build cast carries the NIC with the provider attributes.
            let nic = try #require(api.compute.builds.withLock { $0.last?.instance.networks.first })
            #expect(nic.portID == port["id"]?.stringValue)
            #expect(nic.networkName == "public")
            #expect(nic.fixedIPs == ["172.24.4.5"])
            #expect(nic.networkType == "flat")
            #expect(nic.macAddress == port["mac_address"]?.stringValue)
            let server = try await c.send(.get, "/compute/v2.1/servers/\(id)", token: demo).json.at("server")!
            #expect(server.at("addresses", "public", "0", "addr") == "172.24.4.5")
            #expect(server.at("addresses", "public", "0", "version") == 4)
            #expect(server.at("addresses", "public", "0", "OS-EXT-IPS:type") == "fixed")
            #expect(server.at("addresses", "public", "0", "OS-EXT-IPS-MAC:mac_addr") == port["mac_address"])
            let detail = try await c.send(.get, "/compute/v2.1/servers/detail", token: demo).json.at("servers", "0")!
            #expect(detail.at("addresses", "public", "0", "addr") == "172.24.4.5")
            // Notifications: the port to the DHCP agents, the instance to the metadata proxies.
            #expect(api.notifications.methods.contains("port_create_end"))
            #expect(api.notifications.metadata.withLock { $0.last?.interfaces.first?.port.fixedIPs.first?.ipAddress } == "172.24.4.5")
            // A rename reaches the metadata proxies.
            let renamed = try await c.send(.put, "/compute/v2.1/servers/\(id)", token: demo, json: ["server": ["name": "web"]])
            #expect(renamed.json.at("server", "name") == "web")
            #expect(renamed.json.at("server", "addresses", "public", "0", "addr") == "172.24.4.5")
            #expect(api.notifications.metadata.withLock { $0.last?.name } == "web")
            #expect(api.notifications.metadata.withLock { $0.last?.hostname } == "demo-vm")
            // Deleting (never reached compute: its service is down) removes the port at once.
            #expect(try await c.send(.delete, "/compute/v2.1/servers/\(id)", token: demo).status == .noContent)
            #expect(try await c.send(.get, "/networking/v2.0/ports?device_id=\(id)", token: demo).json.at("ports") == [])
            #expect(api.notifications.methods.contains("port_delete_end"))
            #expect(api.notifications.methods.contains("instance_metadata_delete"))
        }
    }

    @Test func portsGoWhenComputeReportsTheInstanceDeleted() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let admin = try await c.token("admin", "s3cret")
            let (net, _) = try await c.makeNetwork(admin)
            let image = try await c.activeImage(admin)
            // compute1 is up: the delete goes through compute.
            _ = try await api.environment.conductor.reportState(
                ServiceReport(binary: "cirrus-compute", host: "compute1", topic: "compute", reportCount: 1, version: "1"), logger: log,
                now: api.clock.now())
            let id = try await c.createServer(admin, image: image, extra: ["networks": [["uuid": .string(net), "fixed_ip": "172.24.4.77"]]]).json.at("server", "id")!.stringValue!
            let port = try await c.send(.get, "/networking/v2.0/ports?device_id=\(id)", token: admin).json.at("ports", "0")!
            #expect(port.at("fixed_ips", "0", "ip_address") == "172.24.4.77")
            #expect(try await c.send(.delete, "/compute/v2.1/servers/\(id)", token: admin).status == .noContent)
            #expect(api.compute.casts.withLock { $0.last } == "terminate compute1 \(id)")
            #expect(try await c.send(.get, "/networking/v2.0/ports?device_id=\(id)", token: admin).json.at("ports")!.arrayValue.count == 1)
            try await api.environment.conductor.instanceUpdate(
                InstanceUpdateArguments(instanceUUID: id, vmState: .deleted, taskState: nil, updatesTaskState: true), uniqueID: "d1",
                context: .service("t"), logger: log)
            #expect(try await c.send(.get, "/networking/v2.0/ports?device_id=\(id)", token: admin).json.at("ports") == [])
        }
    }

    @Test func rescheduleKeepsThePortAndMovesItsBinding() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let admin = try await c.token("admin", "s3cret")
            let (net, _) = try await c.makeNetwork(admin)
            let image = try await c.activeImage(admin)
            let id = try await c.createServer(admin, image: image, extra: ["networks": [["uuid": .string(net)]]]).json.at("server", "id")!.stringValue!
            let first = try #require(api.compute.builds.withLock { $0.last })
            let portID = try #require(first.instance.networks.first?.portID)
            try await api.environment.conductor.rescheduleInstance(
                RescheduleInstanceArguments(build: first, failedHost: "compute1", reason: "spawn failed"), uniqueID: "r1",
                context: .service("t"), logger: log)
            let second = try #require(api.compute.builds.withLock { $0.last })
            #expect(second.attempt == 2)
            #expect(second.instance.networks.map(\.portID) == [portID])
            let port = try await c.send(.get, "/networking/v2.0/ports/\(portID)", token: admin).json.at("port")!
            #expect(port["binding:host_id"] == "compute2")
            #expect(port["device_id"] == .string(id))
        }
    }

    @Test func networkChoicesFollowNova() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let demo = try await c.token("demo", "demo")
            let image = try await c.activeImage(demo)
            // No network visible: unspecified boots without a NIC, "auto" is refused.
            let bare = try await c.createServer(demo, image: image, name: "bare")
            #expect(bare.status == .accepted)
            #expect(try await c.createServer(demo, image: image, extra: ["networks": "auto"]).status == .badRequest)
            let (net, _) = try await c.makeNetwork(demo, name: "private", cidr: "10.0.0.0/29")
            let auto = try await c.createServer(demo, image: image, name: "auto", extra: ["networks": "auto"])
            let autoID = auto.json.at("server", "id")!.stringValue!
            #expect(try await c.send(.get, "/networking/v2.0/ports?device_id=\(autoID)", token: demo).json.at("ports")!.arrayValue.count == 1)
            let none = try await c.createServer(demo, image: image, name: "none", extra: ["networks": "none"])
            let noneID = none.json.at("server", "id")!.stringValue!
            #expect(try await c.send(.get, "/networking/v2.0/ports?device_id=\(noneID)", token: demo).json.at("ports") == [])
            let unknown = try await c.createServer(demo, image: image, extra: ["networks": [["uuid": "nope"]]])
            #expect(unknown.status == .badRequest)
            #expect(unknown.json.at("badRequest", "message")?.stringValue?.contains("Network nope could not be found") == true)
            // 10.0.0.0/29: gateway .1, pool .2-.6; "auto" has .2. Four more fit, the fifth is refused and leaves nothing behind.
            let many = try await c.createServer(demo, image: image, name: "many", extra: ["networks": [["uuid": .string(net)]], "min_count": 5, "max_count": 5])
            #expect(many.status == .conflict)
            #expect(many.json.at("conflictingRequest", "message")?.stringValue?.contains("No more IP addresses available on network private") == true)
            let servers = try await c.send(.get, "/compute/v2.1/servers", token: demo).json.at("servers")!.arrayValue
            #expect(servers.count == 3)
            #expect(try await c.send(.get, "/networking/v2.0/ports", token: demo).json.at("ports")!.arrayValue.count == 1)
            let four = try await c.createServer(demo, image: image, name: "four", extra: ["networks": [["uuid": .string(net)]], "min_count": 4, "max_count": 4])
            #expect(four.status == .accepted)
            // Two networks visible: unspecified is ambiguous (409), as in Nova.
            _ = try await c.makeNetwork(demo, name: "second", cidr: "10.1.0.0/24")
            #expect(try await c.createServer(demo, image: image, name: "ambiguous").status == .conflict)
            // An existing port is claimed.
            let port = try await c.send(.post, "/networking/v2.0/ports", token: demo, json: ["port": ["network_id": .string(net), "fixed_ips": [["ip_address": "10.0.0.3"]]]])
            #expect(port.status == .conflict)  // .3 went to the multi-create
            let free = try await c.send(.post, "/networking/v2.0/ports", token: demo, json: ["port": ["network_id": .string(net), "fixed_ips": []]])
            let portID = free.json.at("port", "id")!.stringValue!
            let withPort = try await c.createServer(demo, image: image, name: "withport", extra: ["networks": [["port": .string(portID)]]])
            #expect(withPort.status == .accepted)
            let claimed = try await c.send(.get, "/networking/v2.0/ports/\(portID)", token: demo).json.at("port")!
            #expect(claimed["device_id"] == withPort.json.at("server", "id"))
            #expect(try await c.createServer(demo, image: image, name: "again", extra: ["networks": [["port": .string(portID)]]]).status == .conflict)
        }
    }

    @Test func consoleOutputAndVNC() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let demo = try await c.token("demo", "demo")
            let image = try await c.activeImage(demo)
            let id = try await c.createServer(demo, image: image).json.at("server", "id")!.stringValue!
            let out = try await c.send(.post, "/compute/v2.1/servers/\(id)/action", token: demo, json: ["os-getConsoleOutput": ["length": 10]])
            #expect(out.json["output"] == "line1\nline2\n")
            #expect(api.compute.casts.withLock { $0.last } == "console compute1 \(id) 10")
            let remote = try await c.send(.post, "/compute/v2.1/servers/\(id)/remote-consoles", token: demo, json: ["remote_console": ["protocol": "vnc", "type": "novnc"]])
            #expect(remote.json.at("remote_console", "url") == "vnc://127.0.0.1:5900")
            #expect(remote.json.at("remote_console", "type") == "novnc")
            let legacy = try await c.send(.post, "/compute/v2.1/servers/\(id)/action", token: demo, json: ["os-getVNCConsole": ["type": "novnc"]])
            #expect(legacy.json.at("console", "url") == "vnc://127.0.0.1:5900")
            api.compute.console.withLock { $0 = .failure(RemoteError(className: "NoSuchMethod", module: "oslo", message: "no get_console_output")) }
            let unsupported = try await c.send(.post, "/compute/v2.1/servers/\(id)/action", token: demo, json: ["os-getConsoleOutput": nil])
            #expect(unsupported.status == .notImplemented)
            #expect(unsupported.json.at("notImplemented", "message")?.stringValue?.contains("does not support") == true)
            let spice = try await c.send(.post, "/compute/v2.1/servers/\(id)/remote-consoles", token: demo, json: ["remote_console": ["protocol": "spice", "type": "spice-html5"]])
            #expect(spice.status == .badRequest)
        }
    }
}
