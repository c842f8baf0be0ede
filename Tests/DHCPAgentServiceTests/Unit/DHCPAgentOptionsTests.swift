import DHCPAgentService
import ServiceKit
import Testing

struct DHCPAgentOptionsTests {
    func reader(_ text: String) throws -> CirrusConfigReader {
        try CirrusConfigReader(files: [try INIParser().parse(text, path: "/etc/cirrus/cirrus.conf")])
    }

    @Test func defaults() throws {
        let o = try DHCPAgentOptions(reader: try reader(""), statePath: "/var/lib/cirrus")
        #expect(o.renderer.domain == "openstacklocal")
        #expect(o.renderer.enableIsolatedMetadata)
        #expect(!o.renderer.forceMetadata)
        #expect(o.renderer.leaseDuration == 86400)
        #expect(o.resyncInterval == 30)
        #expect(o.checkChildProcessesInterval == 60)
        #expect(o.numSyncThreads == 4)
        #expect(o.renderer.physicalInterfaces.isEmpty)
        #expect(o.renderer.statePath == "/var/lib/cirrus")
    }

    @Test func readsEveryOption() throws {
        let o = try DHCPAgentOptions(reader: try reader("""
            [dhcp]
            dns_domain = example.org
            enable_isolated_metadata = false
            force_metadata = true
            dhcp_lease_duration = 600
            dnsmasq_dns_servers = 8.8.8.8, 1.1.1.1
            resync_interval = 5
            check_child_processes_interval = 2
            num_sync_threads = 8
            [linux_bridge]
            physical_interface_mappings = public:eth1, other:eth2
            """), statePath: "/s")
        #expect(o.renderer.domain == "example.org")
        #expect(!o.renderer.enableIsolatedMetadata && o.renderer.forceMetadata && o.renderer.servesMetadata)
        #expect(o.renderer.leaseDuration == 600)
        #expect(o.renderer.dnsServers == ["8.8.8.8", "1.1.1.1"])
        #expect(o.resyncInterval == 5 && o.checkChildProcessesInterval == 2 && o.numSyncThreads == 8)
        #expect(o.renderer.physicalInterfaces == ["public": "eth1", "other": "eth2"])
    }

    @Test func badValuesNameTheOption() throws {
        for (text, key) in [
            ("[linux_bridge]\nphysical_interface_mappings = eth1", "physical_interface_mappings"),
            ("[dhcp]\ndhcp_lease_duration = 5", "dhcp_lease_duration"),
            ("[dhcp]\nnum_sync_threads = 0", "num_sync_threads"),
            ("[dhcp]\ndns_domain = bad domain", "dns_domain"),
        ] {
            do {
                _ = try DHCPAgentOptions(reader: try reader(text), statePath: "/s")
                Issue.record("accepted \(text)")
            } catch {
                #expect("\(error)".contains(key))
            }
        }
    }
}
