import Foundation
import Schemas
import Storage

/// A row of `instances`: the authoritative record of a server. `id` is the sequential
/// internal id behind `instance-%08x`; deleted rows are kept (soft delete) for actions.
public struct InstanceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "instances"

    public var id: Int64?
    public var uuid: String
    public var name: String
    public var hostname: String
    public var projectID: String
    public var userID: String
    public var flavor: FlavorSpec
    public var image: ImageSpec
    public var keyName: String?
    public var keyData: String?
    public var userData: String?
    public var availabilityZone: String?
    public var metadata: [String: String]
    public var launchIndex: Int
    public var host: String?
    public var node: String?
    public var vmState: VMState
    public var taskState: TaskState?
    public var powerState: PowerState
    public var createRequestID: String
    public var requestSpec: RequestSpec
    public var launchedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?
    public var deleted: Bool

    public init(
        id: Int64? = nil, uuid: String, name: String, hostname: String, projectID: String, userID: String,
        flavor: FlavorSpec, image: ImageSpec, keyName: String? = nil, keyData: String? = nil, userData: String? = nil,
        availabilityZone: String? = nil, metadata: [String: String] = [:], launchIndex: Int = 0, host: String? = nil,
        node: String? = nil, vmState: VMState, taskState: TaskState?, powerState: PowerState, createRequestID: String,
        requestSpec: RequestSpec, launchedAt: Date? = nil, createdAt: Date, updatedAt: Date, deletedAt: Date? = nil,
        deleted: Bool
    ) {
        self.id = id
        self.uuid = uuid
        self.name = name
        self.hostname = hostname
        self.projectID = projectID
        self.userID = userID
        self.flavor = flavor
        self.image = image
        self.keyName = keyName
        self.keyData = keyData
        self.userData = userData
        self.availabilityZone = availabilityZone
        self.metadata = metadata
        self.launchIndex = launchIndex
        self.host = host
        self.node = node
        self.vmState = vmState
        self.taskState = taskState
        self.powerState = powerState
        self.createRequestID = createRequestID
        self.requestSpec = requestSpec
        self.launchedAt = launchedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.deleted = deleted
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// What compute gets with `build_and_run_instance`.
    public var spec: InstanceSpec {
        InstanceSpec(
            uuid: uuid, internalID: Int(id ?? 0), name: name, hostname: hostname, projectID: projectID, userID: userID,
            flavor: flavor, image: image, keyName: keyName, keyData: keyData, userData: userData,
            availabilityZone: availabilityZone, launchIndex: launchIndex, metadata: metadata)
    }

    /// `instance-%08x`.
    public var instanceName: String { spec.domainName }

    enum CodingKeys: String, CodingKey {
        case id, uuid, name, hostname
        case projectID = "project_id"
        case userID = "user_id"
        case flavor, image
        case keyName = "key_name"
        case keyData = "key_data"
        case userData = "user_data"
        case availabilityZone = "availability_zone"
        case metadata
        case launchIndex = "launch_index"
        case host, node
        case vmState = "vm_state"
        case taskState = "task_state"
        case powerState = "power_state"
        case createRequestID = "create_request_id"
        case requestSpec = "request_spec"
        case launchedAt = "launched_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case deletedAt = "deleted_at"
        case deleted
    }
}
