import APIService
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import Schemas
import Storage
import Testing

@Suite struct ConductorNetworkTests {
    let log = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func dhcpAgentCallsServeEveryNetworkAndAreIdempotent() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let admin = try await c.token("admin", "s3cret")
            let (net, subnet) = try await c.makeNetwork(admin, shared: true)
            let (noDHCP, _) = try await c.makeNetwork(admin, name: "static", cidr: "10.5.0.0/24", subnet: ["enable_dhcp": false])
            let image = try await c.activeImage(admin)
            let id = try await c.createServer(admin, image: image, extra: ["networks": [["uuid": .string(net)]]]).json.at("server", "id")!.stringValue!
            let conductor = api.environment.conductor
            let port = try await conductor.createDHCPPort(host: "net1", networkID: net, context: .service("t"), logger: log)
            #expect(port.deviceOwner == "network:dhcp")
            #expect(port.deviceID == "dhcp\(UUIDv5.make(name: "net1"))-\(net)")
            #expect(port.status == "ACTIVE")
            #expect(port.bindingHost == "net1")
            #expect(port.fixedIPs == [FixedIP(subnetID: subnet, ipAddress: "172.24.4.3")])  // .2 went to the instance
            let again = try await conductor.createDHCPPort(host: "net1", networkID: net, context: .service("t"), logger: log)
            #expect(again == port)
            let other = try await conductor.createDHCPPort(host: "net2", networkID: net, context: .service("t"), logger: log)
            #expect(other.id != port.id)
            let networks = try await conductor.activeNetworks(host: "net1")
            #expect(networks.map(\.id) == [net])  // the DHCP-less network is not served
            #expect(!networks.map(\.id).contains(noDHCP))
            #expect(networks[0].subnets.map(\.id) == [subnet])
            #expect(Set(networks[0].ports.map(\.deviceID)) == [id, port.deviceID, other.deviceID])
            #expect(networks[0].physicalNetwork == nil)
            // A DHCP port is never an instance; an instance's address is.
            #expect(try await conductor.instanceMetadata(networkID: net, ipAddress: "172.24.4.3") == nil)
            let md = try #require(try await conductor.instanceMetadata(networkID: net, ipAddress: "172.24.4.2"))
            #expect(md.uuid == id)
            #expect(try await conductor.instanceMetadata(networkID: noDHCP, ipAddress: "172.24.4.2") == nil)
            try await conductor.releaseDHCPPort(host: "net2", networkID: net, context: .service("t"), logger: log)
            #expect(try await conductor.activeNetworks(host: "net1")[0].ports.count == 2)
            // Compute reports the VIF plugged; a duplicate changes nothing.
            let instancePort = networks[0].ports.first { $0.deviceID == id }!
            let before = api.notifications.methods.filter { $0 == "port_update_end" }.count
            for _ in 0..<2 {
                try await conductor.updatePortStatus(UpdatePortStatusArguments(portID: instancePort.id, status: "ACTIVE", host: "compute1"), context: .service("t"), logger: log)
            }
            #expect(api.notifications.methods.filter { $0 == "port_update_end" }.count == before + 1)
            #expect(try await c.send(.get, "/networking/v2.0/ports/\(instancePort.id)", token: admin).json.at("port", "status") == "ACTIVE")
            await #expect(throws: InvalidArguments.self) {
                try await conductor.createDHCPPort(host: "net1", networkID: "missing", context: .service("t"), logger: log)
            }
            // DHCP ports do not keep a network alive: they go with it.
            #expect(try await c.send(.delete, "/networking/v2.0/networks/\(net)", token: admin).status == .conflict)
            #expect(try await c.send(.delete, "/compute/v2.1/servers/\(id)", token: admin).status == .noContent)
            #expect(try await c.send(.delete, "/networking/v2.0/networks/\(net)", token: admin).status == .noContent)
            #expect(try await conductor.activeNetworks(host: "net1").isEmpty)
            #expect(try await api.environment.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ip_allocations") } == 0)
            #expect(api.notifications.methods.last == "network_delete_end")
        }
    }

    @Test func instanceMetadataDocument() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let demo = try await c.token("demo", "demo")
            let (net, subnet) = try await c.makeNetwork(demo, cidr: "10.0.0.0/24", subnet: ["dns_nameservers": ["8.8.8.8"]])
            let image = try await c.send(.post, "/image/v2/images", token: demo, json: [
                "name": "cirros", "disk_format": "qcow2", "container_format": "bare", "kernel_id": "k-1", "ramdisk_id": "r-1",
            ]).json["id"]!.stringValue!
            _ = try await c.send(.put, "/image/v2/images/\(image)/file", token: demo, raw: ByteBuffer(string: "disk"))
            _ = try await c.send(.post, "/compute/v2.1/os-keypairs", token: demo, json: ["keypair": ["name": "k"]])
            let userData = Data("#!/bin/sh\necho hi\n".utf8).base64EncodedString()
            let id = try await c.createServer(demo, image: image, name: "web", extra: [
                "key_name": "k", "user_data": .string(userData), "metadata": ["role": "web"], "networks": [["uuid": .string(net)]],
            ]).json.at("server", "id")!.stringValue!
            let conductor = api.environment.conductor
            let md = try #require(try await conductor.instanceMetadata(networkID: net, ipAddress: "10.0.0.2"))
            #expect(md.internalID == 1)
            #expect(md.imageInternalID == 1)
            #expect(md.imageID == image)
            #expect(md.hostname == "web")
            #expect(md.userData == userData)
            #expect(md.keyData?.hasPrefix("ssh-ed25519") == true)
            #expect(md.keyName == "k")
            #expect(md.metadata == ["role": "web"])
            #expect(md.flavorName == "m1.tiny")
            #expect(md.availabilityZone == "nova")
            #expect(md.reservationID.hasPrefix("r-") && md.reservationID.count == 10)
            #expect(md.interfaces.count == 1)
            #expect(md.interfaces[0].network.subnets.map(\.id) == [subnet])
            #expect(md.interfaces[0].network.ports.isEmpty)
            #expect(md.interfaces[0].port.fixedIPs.first?.ipAddress == "10.0.0.2")
            #expect(md.password == nil)
            // The password is stored once; the document shows it with a higher revision.
            #expect(try await conductor.setInstancePassword(SetInstancePasswordArguments(instanceID: id, password: "enc1"), context: .service("t"), logger: log))
            #expect(try await !conductor.setInstancePassword(SetInstancePasswordArguments(instanceID: id, password: "enc2"), context: .service("t"), logger: log))
            let after = try #require(try await conductor.instanceMetadata(networkID: net, ipAddress: "10.0.0.2"))
            #expect(after.password == "enc1")
            #expect(after.revision > md.revision)
            #expect(after.reservationID == md.reservationID)
            // Paging by uuid, filtered by network.
            let second = try await c.createServer(demo, image: image, name: "db", extra: ["networks": [["uuid": .string(net)]]]).json.at("server", "id")!.stringValue!
            let page1 = try await conductor.listInstanceMetadata(ListInstanceMetadataArguments(networkIDs: [net], limit: 1))
            #expect(page1.count == 1)
            let page2 = try await conductor.listInstanceMetadata(ListInstanceMetadataArguments(networkIDs: [net], marker: page1[0].uuid, limit: 10))
            #expect(Set((page1 + page2).map(\.uuid)) == [id, second])
            #expect(try await conductor.listInstanceMetadata(ListInstanceMetadataArguments(networkIDs: ["other"])).isEmpty)
            #expect(api.notifications.methods.contains("instance_metadata_update"))
        }
    }
}
