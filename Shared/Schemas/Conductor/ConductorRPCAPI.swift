import Messaging

/// Client proxy for ``ConductorAPI`` (Nova's `rpcapi` pattern): topic, version cap,
/// call vs cast and per-method version in one place.
public struct ConductorRPCAPI: Sendable {
    public let client: RPCClient

    /// - Parameter versionCap: `[upgrade_levels] conductor`, if set.
    public init(transport: MessagingTransport, versionCap: RPCVersion? = nil, timeout: Double? = nil) {
        client = RPCClient(
            transport: transport, topic: ConductorAPI.topic, version: RPCVersion(1, 2), versionCap: versionCap,
            timeout: timeout)
    }

    /// Reports a service heartbeat; returns its administrative state.
    public func reportState(_ service: ServiceReport, context: RequestContext, timeout: Double? = nil) async throws -> ServiceStateReply {
        try await client.prepare(timeout: timeout).call(
            "report_state", ReportStateArguments(service: service), context: context, version: RPCVersion(1, 0))
    }

    /// Reports an instance's state change (durable cast).
    public func instanceUpdate(_ args: InstanceUpdateArguments, context: RequestContext) async throws {
        try await client.cast("instance_update", args, context: context, version: RPCVersion(1, 1))
    }

    /// Asks the conductor to claim the next alternate and build there.
    public func rescheduleInstance(_ args: RescheduleInstanceArguments, context: RequestContext) async throws {
        try await client.cast("reschedule_instance", args, context: context, version: RPCVersion(1, 2))
    }

    /// Reports a compute node's resources (for `hypervisor list`).
    public func computeNodeUpdate(_ report: HostReport, context: RequestContext) async throws {
        try await client.cast("compute_node_update", ComputeNodeUpdateArguments(report: report), context: context, version: RPCVersion(1, 1))
    }

    /// The instances cirrus-api believes are on `host`.
    public func getHostInstances(host: String, context: RequestContext) async throws -> [HostInstance] {
        let r: GetHostInstancesResult = try await client.call(
            "get_host_instances", GetHostInstancesArguments(host: host), context: context, version: RPCVersion(1, 1))
        return r.instances
    }
}
