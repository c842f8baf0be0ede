import Messaging

/// Client proxy for ``SchedulerAPI``.
public struct SchedulerRPCAPI: Sendable {
    public let client: RPCClient

    /// - Parameter versionCap: `[upgrade_levels] scheduler`, if set.
    public init(transport: MessagingTransport, versionCap: RPCVersion? = nil, timeout: Double? = nil) {
        client = RPCClient(
            transport: transport, topic: SchedulerAPI.topic, version: RPCVersion(1, 0), versionCap: versionCap,
            timeout: timeout, expectedErrors: [NoValidHost.self])
    }

    /// Chooses and claims a host per instance, plus alternates. Throws ``NoValidHost``.
    public func selectDestinations(_ args: SelectDestinationsArguments, context: RequestContext) async throws -> SelectDestinationsResult {
        // Long calls on big requests: heartbeats keep them alive (Nova bug #1795992).
        try await client.prepare(callMonitorTimeout: client.timeout).call("select_destinations", args, context: context, version: RPCVersion(1, 0))
    }

    public func claimAlternate(_ args: ClaimAlternateArguments, context: RequestContext) async throws -> ClaimAlternateResult {
        try await client.call("claim_alternate", args, context: context, version: RPCVersion(1, 0))
    }

    public func releaseClaim(instanceUUID: String, context: RequestContext) async throws {
        try await client.cast("release_claim", ReleaseClaimArguments(instanceUUID: instanceUUID), context: context, version: RPCVersion(1, 0))
    }

    /// Sent by computes to every scheduler.
    public func updateHostState(_ report: HostReport, context: RequestContext) async throws {
        try await client.cast("update_host_state", UpdateHostStateArguments(report: report), context: context, version: RPCVersion(1, 0), fanout: true)
    }

    /// Sent by cirrus-api to every scheduler when an operator enables/disables a service.
    public func updateService(_ args: UpdateServiceArguments, context: RequestContext) async throws {
        try await client.cast("update_service", args, context: context, version: RPCVersion(1, 0), fanout: true)
    }
}
