import Foundation
import Schemas
import Storage

/// A row of `flavors`: a hardware template for servers.
public struct FlavorRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "flavors"

    public var id: String
    public var name: String
    public var vcpus: Int
    public var memoryMB: Int
    public var rootGB: Int
    public var ephemeralGB: Int
    public var swapMB: Int
    public var rxtxFactor: Double
    public var isPublic: Bool
    public var extraSpecs: [String: String]

    public init(id: String, name: String, vcpus: Int, memoryMB: Int, rootGB: Int, ephemeralGB: Int = 0, swapMB: Int = 0) {
        self.id = id
        self.name = name
        self.vcpus = vcpus
        self.memoryMB = memoryMB
        self.rootGB = rootGB
        self.ephemeralGB = ephemeralGB
        self.swapMB = swapMB
        self.rxtxFactor = 1.0
        self.isPublic = true
        self.extraSpecs = [:]
    }

    /// Nova's historical defaults, ids 1-5.
    public static let defaults: [FlavorRecord] = [
        FlavorRecord(id: "1", name: "m1.tiny", vcpus: 1, memoryMB: 512, rootGB: 1),
        FlavorRecord(id: "2", name: "m1.small", vcpus: 1, memoryMB: 2048, rootGB: 20),
        FlavorRecord(id: "3", name: "m1.medium", vcpus: 2, memoryMB: 4096, rootGB: 40),
        FlavorRecord(id: "4", name: "m1.large", vcpus: 4, memoryMB: 8192, rootGB: 80),
        FlavorRecord(id: "5", name: "m1.xlarge", vcpus: 8, memoryMB: 16384, rootGB: 160),
    ]

    static func seed(_ db: Database) throws {
        for flavor in defaults { try flavor.insert(db) }
    }

    /// What the scheduler and compute get.
    public var spec: FlavorSpec {
        FlavorSpec(
            id: id, name: name, vcpus: vcpus, memoryMB: memoryMB, rootGB: rootGB, ephemeralGB: ephemeralGB, swapMB: swapMB,
            extraSpecs: extraSpecs)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, vcpus
        case memoryMB = "memory_mb"
        case rootGB = "root_gb"
        case ephemeralGB = "ephemeral_gb"
        case swapMB = "swap_mb"
        case rxtxFactor = "rxtx_factor"
        case isPublic = "is_public"
        case extraSpecs = "extra_specs"
    }
}
