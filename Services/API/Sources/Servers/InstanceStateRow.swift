import Foundation
import Schemas
import Storage

/// The state columns of an `instances` row: what compute's `instance_update` changes. Reading
/// and writing only these skips the JSON columns (flavor, image, request spec) that a full
/// ``InstanceRecord`` decodes and re-encodes — two thirds of an update's cost in a boot storm.
public struct InstanceStateRow: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = InstanceRecord.databaseTableName
    public static var databaseSelection: [any SQLSelectable] { CodingKeys.allCases.map { Column($0.rawValue) } }

    public var id: Int64
    public var uuid: String
    public var host: String?
    public var vmState: VMState
    public var taskState: TaskState?
    public var powerState: PowerState
    public var launchedAt: Date?
    public var updatedAt: Date
    public var deleted: Bool

    public init(
        id: Int64, uuid: String, host: String? = nil, vmState: VMState, taskState: TaskState?, powerState: PowerState,
        launchedAt: Date? = nil, updatedAt: Date, deleted: Bool = false
    ) {
        self.id = id
        self.uuid = uuid
        self.host = host
        self.vmState = vmState
        self.taskState = taskState
        self.powerState = powerState
        self.launchedAt = launchedAt
        self.updatedAt = updatedAt
        self.deleted = deleted
    }

    /// The state part of a full record.
    public init(_ record: InstanceRecord) {
        self.init(
            id: record.id ?? 0, uuid: record.uuid, host: record.host, vmState: record.vmState, taskState: record.taskState,
            powerState: record.powerState, launchedAt: record.launchedAt, updatedAt: record.updatedAt, deleted: record.deleted)
    }

    /// The live (not deleted) row of `uuid`.
    public static func live(_ db: Database, uuid: String) throws -> InstanceStateRow? {
        try filter(Column("uuid") == uuid && Column("deleted") == false).fetchOne(db)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, uuid, host
        case vmState = "vm_state"
        case taskState = "task_state"
        case powerState = "power_state"
        case launchedAt = "launched_at"
        case updatedAt = "updated_at"
        case deleted
    }
}
