import Foundation
import Logging
import Messaging
import Schemas
import ServiceKit
import ServiceLifecycle

/// Builds what one cirrus-dhcp-agent process runs: the agent (restored from its SQLite
/// before the RPC server starts), its processing loop, the periodic full resync and the
/// process monitor. The first full `sync_state` is queued at start.
public actor DHCPAgentRuntime {
    public struct Prepared: Sendable {
        public var endpoints: [RPCEndpoint]
        public var services: [any Service]
        public var agent: DHCPAgent
    }

    private var prepared: Task<Prepared, any Error>?

    public init() {}

    public func prepare(_ context: DaemonContext) async throws -> Prepared {
        if let prepared { return try await prepared.value }
        let task = Task { try await Self.build(context) }
        prepared = task
        return try await task.value
    }

    private static func build(_ ctx: DaemonContext) async throws -> Prepared {
        let options = try DHCPAgentOptions(reader: ctx.reader, statePath: ctx.statePath)
        let conductor = ConductorRPCAPI(
            transport: ctx.transport, versionCap: ctx.versionCap(for: ConductorAPI.topic), timeout: options.rpcTimeout)
        let control = ConductorDHCPControlPlane(conductor: conductor, syncTimeout: options.rpcTimeout)
        let agent = try await make(host: ctx.host, options: options, control: control, logger: ctx.logger)
        return Prepared(endpoints: [DHCPAgentEndpoint.make(inbox: agent.inbox)], services: services(agent, options: options), agent: agent)
    }

    /// An agent on this host's `ip`/dnsmasq, restored from `<state_path>/dhcp-agent.sqlite`,
    /// with its first full sync queued.
    public static func make(
        host: String, options: DHCPAgentOptions, control: any DHCPControlPlane, logger: Logger
    ) async throws -> DHCPAgent {
        let statePath = options.renderer.statePath
        let store = try DHCPAgentStore.open(statePath: statePath)
        let runner = ProcessRunner(maximumConcurrent: max(4, options.numSyncThreads * 2))
        let applier = DnsmasqApplier(
            plumbing: LinuxNetworkPlumbing(runner: runner), processes: SystemDnsmasqProcesses(runner: runner),
            files: AtomicFileWriter(), statePath: statePath)
        var agentOptions = DHCPAgent.Options(host: host, renderer: options.renderer)
        agentOptions.numSyncThreads = options.numSyncThreads
        agentOptions.resyncThrottle = options.resyncThrottle
        agentOptions.bulkReloadInterval = options.bulkReloadInterval
        let agent = DHCPAgent(options: agentOptions, store: store, control: control, applier: applier, logger: logger)
        if !SystemDnsmasqProcesses(runner: runner).hasDHCPRelease {
            logger.warning("dhcp_release not found (install dnsmasq-utils); leases of deleted ports expire instead")
        }
        try await agent.restore()
        agent.inbox.push(.resync(networks: nil), requestID: RequestContext.newRequestID())
        return agent
    }

    /// The loop, the periodic resync and the process monitor.
    public static func services(_ agent: DHCPAgent, options: DHCPAgentOptions) -> [any Service] {
        [
            DHCPAgentLoop(agent: agent),
            AgentTicker(inbox: agent.inbox, event: .resync(networks: nil), interval: options.resyncInterval),
            AgentTicker(interval: options.checkChildProcessesInterval) { await agent.checkProcesses() },
        ]
    }
}
