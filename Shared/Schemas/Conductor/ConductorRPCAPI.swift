import Messaging

/// Client proxy for ``ConductorAPI`` (Nova's `rpcapi` pattern): topic, version cap,
/// call vs cast and per-method version in one place.
public struct ConductorRPCAPI: Sendable {
    public let client: RPCClient

    /// - Parameter versionCap: `[upgrade_levels] conductor`, if set.
    public init(transport: MessagingTransport, versionCap: RPCVersion? = nil, timeout: Double? = nil) {
        client = RPCClient(
            transport: transport, topic: ConductorAPI.topic, version: RPCVersion(1, 0), versionCap: versionCap,
            timeout: timeout)
    }

    /// Reports a service heartbeat; returns its administrative state.
    public func reportState(_ service: ServiceReport, context: RequestContext, timeout: Double? = nil) async throws -> ServiceStateReply {
        try await client.prepare(timeout: timeout).call(
            "report_state", ReportStateArguments(service: service), context: context, version: RPCVersion(1, 0))
    }
}
