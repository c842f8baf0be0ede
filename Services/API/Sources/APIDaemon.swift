import Foundation
import Messaging
import Schemas
import ServiceKit

/// cirrus-api: the REST front door (one HTTP port, `[api] listen`), the authoritative records
/// and the `conductor` RPC topic, with the boot queue and the build-timeout sweep beside them.
public enum APIDaemon {
    public static let daemon = CirrusDaemon(
        binary: "cirrus-api", topic: "conductor",
        endpoints: { context in [try environment(context).conductor.endpoint()] },
        services: { context in
            let environment = try environment(context)
            // Shut down in reverse: HTTP first, the notifier last (it sends what the others queued).
            return [
                environment.notifier, environment.boot, BuildTimeoutSweeper(environment: environment), APIApplication.make(environment),
            ]
        })

    /// One environment per process, shared by the endpoint and the services.
    static func environment(_ context: DaemonContext) throws -> APIEnvironment {
        try EnvironmentCache.shared.get {
            let configuration = try APIConfiguration(reader: context.reader, base: context.configuration)
            try FileManager.default.createDirectory(atPath: context.statePath, withIntermediateDirectories: true)
            if configuration.users.isEmpty {
                context.logger.warning("No users configured: add lines like 'admin = <password>,admin,admin' to [users]")
            }
            let database = try APIDatabase.open(statePath: context.statePath)
            return APIEnvironment(
                configuration: configuration, database: database,
                scheduler: SchedulerRPCAPI(transport: context.transport, versionCap: context.versionCap(for: SchedulerAPI.topic)),
                compute: ComputeRPCAPI(transport: context.transport, versionCap: context.versionCap(for: ComputeAPI.topic)),
                keys: SSHKeyGenerator(logger: context.logger), logger: context.logger,
                dhcp: DHCPAgentRPCAPI(transport: context.transport, versionCap: context.versionCap(for: DHCPAgentAPI.topic)),
                metadata: MetadataRPCAPI(transport: context.transport, versionCap: context.versionCap(for: MetadataAPI.topic)))
        }
    }
}
