import Foundation
import Logging
import Messaging
import Schemas
import ServiceLifecycle
import Storage

/// Puts instances that sit in BUILD longer than `[DEFAULT] instance_build_timeout` into
/// ERROR with a fault (and gives their claims back), checking every `interval` seconds; also
/// forgets processed-message ids older than an hour (far beyond any redelivery).
public struct BuildTimeoutSweeper: Service {
    public let environment: APIEnvironment
    public let interval: Double

    public init(environment: APIEnvironment, interval: Double? = nil) {
        self.environment = environment
        let timeout = environment.configuration.instanceBuildTimeout
        self.interval = interval ?? (timeout > 0 ? max(0.5, min(timeout / 4, 30)) : 30)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                // Cancelled at shutdown: end quietly rather than with a CancellationError.
                guard (try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))) != nil else { return }
                do {
                    if environment.configuration.instanceBuildTimeout > 0 { _ = try await sweep() }
                    let cutoff = environment.now().addingTimeInterval(-3600)
                    _ = try await environment.database.write { db in try ProcessedMessages.prune(db, olderThan: cutoff) }
                } catch {
                    environment.logger.error("Build timeout sweep failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Errors out the expired builds; returns their uuids.
    public func sweep() async throws -> [String] {
        let timeout = environment.configuration.instanceBuildTimeout
        let now = environment.now()
        let cutoff = now.addingTimeInterval(-timeout)
        let expired = try await environment.database.write { db -> [String] in
            let rows = try InstanceRecord.filter(Column("deleted") == false && Column("vm_state") == VMState.building.rawValue && Column("created_at") < cutoff).fetchAll(db)
            for row in rows {
                let message = "Build of instance \(row.uuid) timed out after \(Int(timeout)) seconds (instance_build_timeout)"
                    + (row.host.map { "; compute host \($0) did not finish it" } ?? "; it was never scheduled")
                try InstanceStore.setError(db, uuid: row.uuid, fault: InstanceFault(code: 500, message: message), host: row.host, now: now)
            }
            return rows.map(\.uuid)
        }
        for uuid in expired {
            environment.logger.warning("Build timed out", metadata: ["instance.id": "\(uuid)"])
            try? await environment.scheduler.releaseClaim(instanceUUID: uuid, context: .service("cirrus-api"))
        }
        return expired
    }
}
