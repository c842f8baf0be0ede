import Foundation
import Storage

/// A row of `compute_nodes`: a hypervisor's resources as its compute last reported them.
public struct ComputeNodeRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "compute_nodes"
    public var id: Int64?
    public var host: String
    public var nodename: String
    public var hypervisorType: String
    public var hostIP: String
    public var vcpus: Int
    public var memoryMB: Int
    public var localGB: Int
    public var vcpusUsed: Int
    public var memoryMBUsed: Int
    public var localGBUsed: Int
    public var runningVMs: Int
    public var availabilityZone: String
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, host, nodename
        case hypervisorType = "hypervisor_type"
        case hostIP = "host_ip"
        case vcpus
        case memoryMB = "memory_mb"
        case localGB = "local_gb"
        case vcpusUsed = "vcpus_used"
        case memoryMBUsed = "memory_mb_used"
        case localGBUsed = "local_gb_used"
        case runningVMs = "running_vms"
        case availabilityZone = "availability_zone"
        case updatedAt = "updated_at"
    }
}
