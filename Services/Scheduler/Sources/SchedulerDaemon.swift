import Foundation
import Messaging
import Schemas
import ServiceKit

/// cirrus-scheduler: placement decisions. Serves `scheduler`, `scheduler.<host>` and
/// `scheduler_fanout` with ``SchedulerManager``, keeping host states and claims in
/// `<state_path>/cirrus-scheduler.sqlite`; reports heartbeats.
public enum SchedulerDaemon {
    /// The RPC API version the manager implements.
    public static let version = SchedulerAPI.version

    public static let daemon = CirrusDaemon(binary: "cirrus-scheduler", topic: "scheduler") { context in
        let options = try SchedulerOptions(reader: context.reader, configuration: context.configuration)
        try FileManager.default.createDirectory(atPath: context.statePath, withIntermediateDirectories: true)
        let database = try SchedulerDatabase.open(statePath: context.statePath)
        let manager = try await SchedulerManager(database: database, options: options, logger: context.logger)
        return [manager.endpoint()]
    }
}
