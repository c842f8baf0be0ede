import Foundation
@testable import MetadataProxyService
import Schemas

/// Sample instances for the tree, cache and server tests.
enum Fixtures {
    static let networkID = "6b1f0c3e-1111-4a4a-9c9c-000000000001"
    static let subnetID = "5c2e0000-2222-4b4b-8d8d-000000000001"
    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKx demo@cirrus\n"

    static func network(dhcp: Bool = true) -> NetworkInfo {
        NetworkInfo(
            id: networkID, name: "private", mtu: 1450,
            subnets: [SubnetInfo(
                id: subnetID, networkID: networkID, cidr: "10.0.0.0/24", gatewayIP: "10.0.0.1", dnsNameservers: ["10.0.0.2", "9.9.9.9"],
                enableDHCP: dhcp, hostRoutes: [HostRoute(destination: "192.168.5.0/24", nexthop: "10.0.0.254")])])
    }

    static func instance(
        _ n: Int = 1, ip: String? = nil, userData: String? = "#cloud-config\nhostname: demo\n", key: Bool = true, dhcp: Bool = true,
        revision: Int = 1
    ) -> InstanceMetadata {
        let uuid = String(format: "0000%04x-aaaa-4bbb-8ccc-%012x", n, n)
        let port = PortInfo(
            id: String(format: "c0ffee%02x-3333-4c4c-9e9e-%012x", n % 256, n), networkID: networkID,
            macAddress: String(format: "fa:16:3e:00:%02x:%02x", (n >> 8) & 0xff, n & 0xff),
            fixedIPs: [FixedIP(subnetID: subnetID, ipAddress: ip ?? "10.0.\(n / 250).\(n % 250 + 3)")], deviceID: uuid,
            deviceOwner: DeviceOwner.compute, status: "ACTIVE")
        return InstanceMetadata(
            uuid: uuid, internalID: 0x2a + n, name: "demo-\(n)", hostname: "demo-\(n)", projectID: "proj", userID: "user",
            reservationID: "r-abcd1234", keyName: key ? "mykey" : nil, keyData: key ? Self.key : nil,
            userData: userData.map { Data($0.utf8).base64EncodedString() }, metadata: ["role": "web"], flavorName: "m1.tiny",
            imageID: "img", imageInternalID: 7, createdAt: "2026-11-28T12:00:00Z",
            interfaces: [InstanceInterface(port: port, network: network(dhcp: dhcp))], revision: revision)
    }

    static func rendered(_ i: InstanceMetadata = instance(), domain: String = "novalocal") -> RenderedInstance {
        RenderedInstance(i, options: MetadataTreeOptions(domain: domain, vendorData: "{\"a\": 1}"))
    }

    static func get(_ path: String, _ r: RenderedInstance = rendered()) -> MetadataResponse {
        MetadataTree.respond(MetadataPath(target: path)!, instance: r)
    }
}
