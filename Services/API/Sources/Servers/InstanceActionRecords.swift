import Foundation
import Storage

/// A row of `instance_actions`: one user request on a server (`create`, `delete`, `stop` …).
public struct InstanceActionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "instance_actions"
    public var id: Int64?
    public var instanceUUID: String
    public var requestID: String
    public var action: String
    public var userID: String?
    public var projectID: String?
    public var startTime: Date
    public var message: String?

    public init(instanceUUID: String, requestID: String, action: String, userID: String?, projectID: String?, startTime: Date) {
        self.instanceUUID = instanceUUID
        self.requestID = requestID
        self.action = action
        self.userID = userID
        self.projectID = projectID
        self.startTime = startTime
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    enum CodingKeys: String, CodingKey {
        case id
        case instanceUUID = "instance_uuid"
        case requestID = "request_id"
        case action
        case userID = "user_id"
        case projectID = "project_id"
        case startTime = "start_time"
        case message
    }
}

/// A row of `instance_action_events`: one step compute reported for an action.
public struct InstanceActionEventRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "instance_action_events"
    public var id: Int64?
    public var actionID: Int64
    public var event: String
    public var host: String?
    public var startTime: Date
    public var finishTime: Date?
    public var result: String?
    public var traceback: String?

    enum CodingKeys: String, CodingKey {
        case id
        case actionID = "action_id"
        case event, host
        case startTime = "start_time"
        case finishTime = "finish_time"
        case result, traceback
    }
}

/// A row of `instance_faults`: why a server went to ERROR.
public struct InstanceFaultRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "instance_faults"
    public var id: Int64?
    public var instanceUUID: String
    public var code: Int
    public var message: String
    public var details: String
    public var host: String?
    public var createdAt: Date

    public init(instanceUUID: String, code: Int, message: String, details: String = "", host: String? = nil, createdAt: Date) {
        self.instanceUUID = instanceUUID
        self.code = code
        self.message = message
        self.details = details
        self.host = host
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case instanceUUID = "instance_uuid"
        case code, message, details, host
        case createdAt = "created_at"
    }
}
