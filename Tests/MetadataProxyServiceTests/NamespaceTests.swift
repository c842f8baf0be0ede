import Foundation
@testable import MetadataProxyService
import Schemas
import Testing

/// The proxy in-process serving a real `qdhcp-` namespace, reached with curl from "instance"
/// namespaces through their 169.254.169.254/32 route.
@Suite(.serialized, .enabled(if: NamespaceLab.unavailableReason() == nil, "\(NamespaceLab.unavailableReason() ?? "")"))
struct NamespaceTests {
    func instance(_ n: Int, ip: String, network: String) -> InstanceMetadata {
        var i = Fixtures.instance(n, ip: ip)
        i.interfaces[0].port.networkID = network
        i.interfaces[0].network.id = network
        return i
    }

    @Test func instancesReadTheirOwnDataThroughTheNamespaceListener() async throws {
        let lab = try NamespaceLab()
        defer { lab.destroy() }
        let inst1 = try lab.addInstance(1, ip: "10.77.0.4")
        let inst2 = try lab.addInstance(2, ip: "10.77.0.5")
        let stranger = try lab.addInstance(3, ip: "10.77.0.66")
        var one = instance(1, ip: "10.77.0.4", network: lab.networkID)
        one.keyData = "ssh-ed25519 AAAAkey-of-one one@cirrus\n"
        let two = instance(2, ip: "10.77.0.5", network: lab.networkID)
        let source = FakeInstanceSource([one, two])

        // The watcher looks at a private directory holding only our namespace (a symlink to
        // /run/netns/qdhcp-…), so other tests' namespaces are not touched.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mdnetns-\(lab.tag)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/" + lab.dhcpNamespace, withDestinationPath: "/run/netns/" + lab.dhcpNamespace)
        try FileManager.default.createSymbolicLink(atPath: dir + "/unrelated", withDestinationPath: "/run/netns/" + lab.dhcpNamespace)

        var o = MetadataOptions()
        o.netnsDirectory = dir
        let service = try await TestSupport.service(source, options: o)
        let server = MetadataHTTPServer(service: service, threads: 1)
        let listeners = NamespaceListeners(server: server, options: o, logger: TestSupport.logger)
        await listeners.scan()
        #expect(await listeners.servedNetworks == [lab.networkID])

        let base = "http://169.254.169.254"
        let key = try lab.curl(in: inst1, base + "/latest/meta-data/public-keys/0/openssh-key")
        #expect(key.0 == 200 && key.1 == one.keyData)
        #expect(try lab.curl(in: inst1, base + "/latest/meta-data/local-ipv4").1 == "10.77.0.4")
        #expect(try lab.curl(in: inst2, base + "/latest/meta-data/instance-id").1 == "i-0000002c")
        // inst2 pretending to be inst1 through headers still gets its own data.
        let spoof = try lab.curl(in: inst2, base + "/latest/meta-data/public-keys/0/openssh-key",
                                 headers: ["X-Forwarded-For: 10.77.0.4", "X-Cirrus-Network-ID: \(lab.networkID)"])
        #expect(spoof.1 != one.keyData && spoof.1 == Fixtures.key)
        #expect(try lab.curl(in: stranger, base + "/latest/meta-data/instance-id").0 == 404)
        #expect(try lab.curl(in: stranger, base + "/").0 == 200)

        // The conductor goes away: known instances are still served.
        source.set(down: true)
        #expect(try lab.curl(in: inst1, base + "/openstack/latest/meta_data.json").1.contains(one.uuid))

        // The namespace disappears from the directory: the listener goes.
        try FileManager.default.removeItem(atPath: dir + "/" + lab.dhcpNamespace)
        await listeners.scan()
        #expect(await listeners.servedNetworks.isEmpty)
        #expect(throws: NamespaceLab.Failure.self, "connection refused once the listener is closed") {
            try lab.curl(in: inst1, base + "/latest/meta-data/instance-id")
        }
        await listeners.closeAll()
        try await server.shutdown()
    }
}
