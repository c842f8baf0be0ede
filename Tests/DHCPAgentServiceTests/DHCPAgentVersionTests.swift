import DHCPAgentService
import Schemas
import Testing

struct DHCPAgentVersionTests {
    /// The agent serves the version of the shared schema that cirrus-api sends.
    @Test func agentImplementsTheSchemaVersion() {
        #expect(DHCPAgentDaemon.version == DHCPAgentAPI.version)
    }
}
