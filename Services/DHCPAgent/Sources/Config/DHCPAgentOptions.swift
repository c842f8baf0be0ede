import Foundation
import ServiceKit

/// cirrus-dhcp-agent's own options, read once at start (errors name the file and line).
///
/// ```ini
/// [DEFAULT]
/// state_path = /var/lib/cirrus              # files under <state_path>/dhcp/<network id>/, dhcp-agent.sqlite
/// [dhcp]
/// dnsmasq_binary = dnsmasq
/// enable_isolated_metadata = true           # 169.254.169.254 on the DHCP port + option 121 route to it
/// force_metadata = false
/// dns_domain = openstacklocal
/// dhcp_lease_duration = 86400               # seconds, -1 = infinite
/// dnsmasq_dns_servers =                     # upstream resolvers for dnsmasq (empty: --no-resolv)
/// dnsmasq_initial_leases = existing         # existing: keep dnsmasq's leases file across restarts (filtered);
///                                           # all: Neutron's "0 <mac> <ip> * *" per port at every spawn
///                                           # (every lease slows each SIGHUP: ~2 s CPU at 10,000)
/// resync_interval = 30                      # full sync_state period (s); events keep the agent current between
/// resync_throttle = 1                       # minimum seconds between two resyncs after errors
/// check_child_processes_interval = 60       # process monitor period (s); 0 disables
/// num_sync_threads = 4                      # networks configured at once in a sync
/// bulk_reload_interval = 0.005              # a burst of events waits this long to be applied in one reload
/// rpc_timeout = 10                          # seconds per call to cirrus-api; events wait while a call does,
///                                           # so a down cirrus-api must not hold the agent for rpc_response_timeout
/// [linux_bridge]
/// physical_interface_mappings = public:eth1 # network node: uplink per physical network; nothing else is touched
/// ```
public struct DHCPAgentOptions: Sendable {
    public var renderer = DnsmasqRenderer.Settings()
    public var resyncInterval: Double = 30
    public var resyncThrottle: Double = 1
    public var checkChildProcessesInterval: Double = 60
    public var numSyncThreads = 4
    public var bulkReloadInterval: Double = 0.005
    public var rpcTimeout: Double = 10

    public init() {}

    public init(reader r: CirrusConfigReader, statePath: String) throws {
        renderer.statePath = statePath
        renderer.binary = try r.value("dhcp.dnsmasq_binary", default: renderer.binary)
        renderer.enableIsolatedMetadata = try r.value("dhcp.enable_isolated_metadata", default: renderer.enableIsolatedMetadata)
        renderer.forceMetadata = try r.value("dhcp.force_metadata", default: renderer.forceMetadata)
        renderer.domain = try r.value("dhcp.dns_domain", default: renderer.domain)
        guard !renderer.domain.isEmpty, !renderer.domain.contains(" "), !renderer.domain.hasSuffix(".") else {
            throw r.invalidValue("dhcp.dns_domain", expected: "a domain name without spaces or trailing dot, e.g. openstacklocal")
        }
        renderer.leaseDuration = try r.value("dhcp.dhcp_lease_duration", default: renderer.leaseDuration)
        guard renderer.leaseDuration == -1 || renderer.leaseDuration >= 120 else {
            throw r.invalidValue("dhcp.dhcp_lease_duration", expected: "-1 (infinite) or at least 120 seconds")
        }
        renderer.dnsServers = try r.value("dhcp.dnsmasq_dns_servers", default: renderer.dnsServers)
        let leases = try r.value("dhcp.dnsmasq_initial_leases", default: "existing")
        guard leases == "existing" || leases == "all" else {
            throw r.invalidValue("dhcp.dnsmasq_initial_leases", expected: "existing or all")
        }
        renderer.initialLeasesForAllHosts = leases == "all"
        resyncInterval = try r.value("dhcp.resync_interval", default: resyncInterval)
        resyncThrottle = try r.value("dhcp.resync_throttle", default: resyncThrottle)
        checkChildProcessesInterval = try r.value("dhcp.check_child_processes_interval", default: checkChildProcessesInterval)
        numSyncThreads = try r.value("dhcp.num_sync_threads", default: numSyncThreads)
        bulkReloadInterval = try r.value("dhcp.bulk_reload_interval", default: bulkReloadInterval)
        rpcTimeout = try r.value("dhcp.rpc_timeout", default: rpcTimeout)
        guard rpcTimeout > 0 else { throw r.invalidValue("dhcp.rpc_timeout", expected: "a number of seconds above 0") }
        guard numSyncThreads >= 1 else { throw r.invalidValue("dhcp.num_sync_threads", expected: "an integer of at least 1") }
        let mappings = try r.value("linux_bridge.physical_interface_mappings", default: [String]())
        renderer.physicalInterfaces = try Self.parseMappings(mappings, reader: r)
    }

    /// `public:eth1` entries → physical network → interface.
    static func parseMappings(_ entries: [String], reader r: CirrusConfigReader) throws -> [String: String] {
        var out: [String: String] = [:]
        for raw in entries {
            let entry = raw.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty { continue }
            let parts = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[1].utf8.count <= 15, out[parts[0]] == nil else {
                throw r.invalidValue(
                    "linux_bridge.physical_interface_mappings",
                    expected: "<physical network>:<interface> entries (each network once), e.g. public:eth1")
            }
            out[parts[0]] = parts[1]
        }
        return out
    }
}
