import MetadataProxyService
import Schemas
import Testing

struct MetadataProxyVersionTests {
    /// The proxy serves the version of the shared schema that cirrus-api sends.
    @Test func proxyImplementsTheSchemaVersion() {
        #expect(MetadataProxyDaemon.version == MetadataAPI.version)
    }
}
