@testable import MetadataProxyService
import Schemas
import Testing

struct RenderedStorageTests {
    @Test func serializedRenderingServesTheSameDocuments() throws {
        let i = Fixtures.instance(3)
        let options = MetadataTreeOptions()
        let original = RenderedInstance(i, options: options)
        let load: @Sendable () -> InstanceMetadata? = { i }
        let restored = RenderedInstance(
            uuid: i.uuid, revision: i.revision, hasPassword: false, options: options, serialized: original.serialized, load: load)
        let copy = try #require(restored)
        for path in ["/latest/meta-data/", "/latest/meta-data/public-keys/0/openssh-key", "/latest/user-data",
                     "/openstack/2018-08-27/network_data.json", "/openstack/latest/vendor_data2.json", "/2007-01-19/meta-data/"] {
            #expect(Fixtures.get(path, copy) == Fixtures.get(path, original), "\(path)")
        }
        #expect(Fixtures.get("/openstack/latest/meta_data.json", copy).text.contains(i.uuid))
        let none: @Sendable () -> InstanceMetadata? = { nil }
        let bad = RenderedInstance(uuid: "u", revision: 1, hasPassword: false, options: options, serialized: [1, 2, 3], load: none)
        #expect(bad == nil)
    }

    @Test func storedRenderingsAreUsedOnlyWithTheSameOptions() async throws {
        let store = try MetadataStore.inMemory()
        let i = Fixtures.instance(4)
        let fp = RenderedInstance.fingerprint(MetadataTreeOptions())
        try await store.save([i], rendered: [i.uuid: RenderedInstance(i, options: MetadataTreeOptions()).serialized], fingerprint: fp)
        #expect(try store.loadRendered(i.uuid, fingerprint: fp)?.revision == i.revision)
        #expect(try store.loadRendered(i.uuid, fingerprint: RenderedInstance.fingerprint(MetadataTreeOptions(domain: "x"))) == nil)
    }

    @Test func aRestartedProxyServesStoredRenderings() async throws {
        let store = try MetadataStore.inMemory()
        let source = FakeInstanceSource([Fixtures.instance(1)])
        let first = try await TestSupport.service(source, store: store)
        try await first.resolver.refill()
        source.set(down: true)
        let second = try await TestSupport.service(source, store: store)
        #expect(await TestSupport.get(second, "/latest/meta-data/instance-id").text == "i-0000002b")
        #expect(await TestSupport.get(second, "/2008-09-01/meta-data/instance-action").text == "none")
    }
}
