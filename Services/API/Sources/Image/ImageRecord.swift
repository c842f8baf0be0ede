import Foundation
import Schemas
import Storage

/// A row of `images`: Glance's image record; the bytes live in ``ImageFileStore``.
public struct ImageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "images"

    public var id: String
    public var name: String?
    /// `queued` → `saving` → `active`; `killed` when an upload failed.
    public var status: String
    /// `public`, `private`, `shared` or `community`.
    public var visibility: String
    public var protected: Bool
    public var owner: String
    public var diskFormat: String?
    public var containerFormat: String?
    public var minDisk: Int
    public var minRAM: Int
    public var size: Int64?
    public var checksum: String?
    public var osHashAlgo: String?
    public var osHashValue: String?
    public var properties: [String: String]
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String?, owner: String, visibility: String = "shared", now: Date) {
        self.id = id
        self.name = name
        self.status = "queued"
        self.visibility = visibility
        self.protected = false
        self.owner = owner
        self.minDisk = 0
        self.minRAM = 0
        self.properties = [:]
        self.tags = []
        self.createdAt = now
        self.updatedAt = now
    }

    /// Visible to `auth`: public and community images, the project's own, everything for admins.
    public func isVisible(to auth: AuthContext) -> Bool {
        auth.isAdmin || owner == auth.projectID || visibility == "public" || visibility == "community"
    }

    /// What the scheduler and compute get.
    public var spec: ImageSpec {
        ImageSpec(
            id: id, name: name ?? "", checksum: checksum, osHashAlgo: osHashAlgo, osHashValue: osHashValue, size: size,
            diskFormat: diskFormat ?? "raw", containerFormat: containerFormat ?? "bare", minDiskGB: minDisk,
            minRAMMB: minRAM, properties: properties)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, status, visibility, protected, owner
        case diskFormat = "disk_format"
        case containerFormat = "container_format"
        case minDisk = "min_disk"
        case minRAM = "min_ram"
        case size, checksum
        case osHashAlgo = "os_hash_algo"
        case osHashValue = "os_hash_value"
        case properties, tags
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
