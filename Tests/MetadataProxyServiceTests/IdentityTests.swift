@testable import MetadataProxyService
import Schemas
import Testing

struct IdentityTests {
    @Test func sourceIPOnTheNetworkFindsTheInstance() async throws {
        let source = FakeInstanceSource([Fixtures.instance(1), Fixtures.instance(2)])
        let s = try await TestSupport.service(source)
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id", from: "10.0.0.4").text == "i-0000002b")
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id", from: "10.0.0.5").text == "i-0000002c")
        #expect(source.lookups == 2)
        _ = await TestSupport.get(s, "/latest/meta-data/hostname", from: "10.0.0.4")
        #expect(source.lookups == 2, "the second request is served from the cache")
    }

    @Test func unknownSourceOrOtherNetworkGets404() async throws {
        let source = FakeInstanceSource([Fixtures.instance(1)])
        let s = try await TestSupport.service(source)
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id", from: "10.0.0.99").status == 404)
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id", network: "other-net").status == 404)
        #expect(await TestSupport.get(s, "/openstack", from: "10.0.0.99").status == 404)
        // The root listing needs no identity.
        #expect(await TestSupport.get(s, "/", from: "10.0.0.99").status == 200)
        // A miss is remembered briefly: no second conductor call.
        _ = await TestSupport.get(s, "/latest/meta-data/instance-id", from: "10.0.0.99")
        #expect(source.lookups == 2)
    }

    @Test func headersNeverIdentifyOnNamespaceSockets() async throws {
        let s = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1), Fixtures.instance(2)]))
        let spoof: [(String, String)] = [("X-Forwarded-For", "10.0.0.4"), ("X-Cirrus-Network-ID", Fixtures.networkID),
                                         ("X-Instance-ID", Fixtures.instance(1).uuid)]
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id", from: "10.0.0.5", headers: spoof).text == "i-0000002c")
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id", from: "10.0.0.77", headers: spoof).status == 404)
    }

    @Test func plainListenerTrustsForwardedForOnlyFromConfiguredProxies() async throws {
        var o = MetadataOptions()
        o.trustedProxies = ["127.0.0.1"]
        let s = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1)]), options: o)
        let headers = [("X-Forwarded-For", "1.2.3.4, 10.0.0.4"), ("X-Cirrus-Network-ID", Fixtures.networkID)]
        let trusted = await TestSupport.run(s, MetadataRequest(
            method: "GET", target: "/latest/meta-data/instance-id", headers: headers, peer: "127.0.0.1", listener: .plain))
        #expect(trusted.text == "i-0000002b")
        let untrusted = await TestSupport.run(s, MetadataRequest(
            method: "GET", target: "/latest/meta-data/instance-id", headers: headers, peer: "127.0.0.2", listener: .plain))
        #expect(untrusted.status == 404)
        let noXFF = await TestSupport.run(s, MetadataRequest(
            method: "GET", target: "/latest/meta-data/instance-id", peer: "127.0.0.1", listener: .plain))
        #expect(noXFF.status == 400)
    }

    @Test func conductorDownServesCachedInstancesAnd503ForUnknown() async throws {
        let store = try MetadataStore.inMemory()
        let source = FakeInstanceSource([Fixtures.instance(1)])
        let first = try await TestSupport.service(source, store: store)
        #expect(await TestSupport.get(first, "/latest/meta-data/instance-id").status == 200)
        source.set(down: true)
        // A restarted proxy (same SQLite) still serves the known instance.
        let restarted = try await TestSupport.service(source, store: store)
        #expect(await TestSupport.get(restarted, "/latest/meta-data/instance-id").text == "i-0000002b")
        let unknown = await TestSupport.get(restarted, "/latest/meta-data/instance-id", from: "10.0.0.50")
        #expect(unknown.status == 503)
    }

    @Test func updatesKeepTheNewestRevisionAndDeletesForget() async throws {
        let s = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1)]))
        _ = await TestSupport.get(s, "/latest/meta-data/instance-id")
        var newer = Fixtures.instance(1, revision: 5)
        newer.flavorName = "m1.large"
        await s.resolver.apply([newer])
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-type").text == "m1.large")
        var older = Fixtures.instance(1, revision: 3)
        older.flavorName = "m1.small"
        await s.resolver.apply([older])
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-type").text == "m1.large")
        await s.resolver.delete([newer.uuid])
        #expect(s.resolver.directory.count == 0)
    }

    @Test func anAddressMovingToAnotherInstanceNeverServesTheOldOne() async throws {
        let s = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1)]))
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id").text == "i-0000002b")
        await s.resolver.apply([Fixtures.instance(9, ip: "10.0.0.4")])
        #expect(await TestSupport.get(s, "/latest/meta-data/instance-id").text == "i-00000033")
    }

    @Test func refillAddsAndRemoves() async throws {
        let source = FakeInstanceSource((1...7).map { Fixtures.instance($0) })
        let s = try await TestSupport.service(source)
        await s.resolver.apply([Fixtures.instance(40)])
        try await s.resolver.refill(pageSize: 3)
        #expect(s.resolver.directory.count == 7)
        #expect(s.resolver.directory.revision(of: Fixtures.instance(40).uuid) == nil)
        #expect(source.lookups == 0)
        #expect(await TestSupport.get(s, "/latest/meta-data/local-ipv4", from: "10.0.0.9").text == "10.0.0.9")
    }

    @Test func renderedCacheIsBounded() async throws {
        var o = MetadataOptions()
        o.renderedCacheSize = 8
        let s = try await TestSupport.service(FakeInstanceSource((1...40).map { Fixtures.instance($0) }), options: o)
        for n in 1...40 {
            #expect(await TestSupport.get(s, "/latest/meta-data/hostname", from: "10.0.0.\(n + 3)").text == "demo-\(n).novalocal")
        }
        #expect(s.resolver.directory.renderedCount <= 8)
        #expect(await TestSupport.get(s, "/latest/meta-data/hostname", from: "10.0.0.4").text == "demo-1.novalocal")
    }

    @Test func passwordIsPostedOnce() async throws {
        let source = FakeInstanceSource([Fixtures.instance(1)])
        let s = try await TestSupport.service(source)
        let post = await TestSupport.get(s, "/openstack/latest/password", method: "POST", body: Array("secret".utf8))
        #expect(post.status == 200)
        #expect(await TestSupport.get(s, "/openstack/latest/password").text == "secret")
        let again = await TestSupport.get(s, "/openstack/2013-04-04/password", method: "POST", body: Array("other".utf8))
        #expect(again.status == 409)
        let huge = await TestSupport.get(s, "/openstack/latest/password", from: "10.0.0.4", method: "POST",
                                         body: [UInt8](repeating: 65, count: 2000))
        #expect(huge.status == 400)
        #expect(await TestSupport.get(s, "/openstack/2012-08-10/password", method: "POST").status == 405)
    }
}
