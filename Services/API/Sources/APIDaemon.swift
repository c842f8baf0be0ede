import Foundation
import Messaging
import ServiceKit

/// cirrus-api: the authoritative records and the `conductor` RPC topic (REST arrives with
/// the boot issue).
public enum APIDaemon {
    public static let daemon = CirrusDaemon(binary: "cirrus-api", topic: "conductor") { context in
        try FileManager.default.createDirectory(atPath: context.statePath, withIntermediateDirectories: true)
        let database = try APIDatabase.open(statePath: context.statePath)
        let conductor = ConductorManager(
            database: database, serviceDownTime: context.configuration.default.serviceDownTime.seconds)
        return [conductor.endpoint()]
    }
}
