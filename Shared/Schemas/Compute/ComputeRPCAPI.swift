import Messaging

/// Client proxy for ``ComputeAPI``: every method goes to `compute.<host>`.
public struct ComputeRPCAPI: Sendable {
    public let client: RPCClient

    /// - Parameter versionCap: `[upgrade_levels] compute`, if set.
    public init(transport: MessagingTransport, versionCap: RPCVersion? = nil) {
        client = RPCClient(transport: transport, topic: ComputeAPI.topic, version: RPCVersion(1, 0), versionCap: versionCap)
    }

    public func buildAndRunInstance(host: String, _ args: BuildAndRunInstanceArguments, context: RequestContext) async throws {
        try await client.prepare(server: host).cast("build_and_run_instance", args, context: context, version: RPCVersion(1, 0))
    }

    public func terminateInstance(host: String, _ args: InstanceActionArguments, context: RequestContext) async throws {
        try await client.prepare(server: host).cast("terminate_instance", args, context: context, version: RPCVersion(1, 0))
    }

    public func stopInstance(host: String, _ args: InstanceActionArguments, context: RequestContext) async throws {
        try await client.prepare(server: host).cast("stop_instance", args, context: context, version: RPCVersion(1, 0))
    }

    public func startInstance(host: String, _ args: InstanceActionArguments, context: RequestContext) async throws {
        try await client.prepare(server: host).cast("start_instance", args, context: context, version: RPCVersion(1, 0))
    }

    public func rebootInstance(host: String, _ args: RebootInstanceArguments, context: RequestContext) async throws {
        try await client.prepare(server: host).cast("reboot_instance", args, context: context, version: RPCVersion(1, 0))
    }
}
