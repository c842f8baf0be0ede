import Foundation
import Storage

/// A row of `services`: one binary on one host, its heartbeat and administrative state.
public struct ServiceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "services"

    public var id: Int64?
    public var binary: String
    public var host: String
    public var topic: String
    public var reportCount: Int
    public var availabilityZone: String?
    public var version: String?
    public var disabled: Bool
    public var disabledReason: String?
    public var forcedDown: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var lastSeenUp: Date?

    enum CodingKeys: String, CodingKey {
        case id, binary, host, topic
        case reportCount = "report_count"
        case availabilityZone = "availability_zone"
        case version, disabled
        case disabledReason = "disabled_reason"
        case forcedDown = "forced_down"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case lastSeenUp = "last_seen_up"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
