import Messaging

/// Client proxy for ``ComputeAPI``: every method goes to `compute.<host>`.
public struct ComputeRPCAPI: Sendable {
    public let client: RPCClient

    /// - Parameter versionCap: `[upgrade_levels] compute`, if set.
    public init(transport: MessagingTransport, versionCap: RPCVersion? = nil) {
        client = RPCClient(transport: transport, topic: ComputeAPI.topic, version: RPCVersion(1, 1), versionCap: versionCap)
    }

    public func buildAndRunInstance(host: String, _ args: BuildAndRunInstanceArguments, context: RequestContext) async throws {
        try await client.prepare(server: host).cast("build_and_run_instance", args, context: context, version: RPCVersion(1, 1))
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

    /// The last `lines` lines (all when nil) of the instance's `console.log`.
    public func getConsoleOutput(host: String, instanceUUID: String, lines: Int?, context: RequestContext) async throws -> String {
        let r: ConsoleOutputResult = try await client.prepare(server: host).call(
            "get_console_output", ConsoleOutputArguments(instanceUUID: instanceUUID, lines: lines), context: context,
            version: RPCVersion(1, 1))
        return r.output
    }

    /// Where the instance's VNC server listens.
    public func getVNCConsole(host: String, instanceUUID: String, actionRequestID: String, context: RequestContext) async throws -> VNCConsoleResult {
        try await client.prepare(server: host).call(
            "get_vnc_console", InstanceActionArguments(instanceUUID: instanceUUID, actionRequestID: actionRequestID), context: context,
            version: RPCVersion(1, 1))
    }
}
