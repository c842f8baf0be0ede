import Foundation
import Schemas
import Storage

/// The compute host's SQLite (`<state_path>/cirrus-compute.sqlite`): instance records, the
/// last use of each cached base image, and the qemu driver's domains (VNC port included).
public struct ComputeStore: Sendable {
    public let database: ServiceDatabase

    public static let migrations: [Migration] = [
        Migration("compute.v1.instances") { db in
            try db.create(table: "instances") { t in
                t.primaryKey("uuid", .text)
                t.column("state", .text).notNull()
                t.column("task_state", .text)
                t.column("power_state", .integer).notNull()
                t.column("build", .text).notNull()
                t.column("base_image", .text).notNull()
                t.column("created_at", .double).notNull()
                t.column("updated_at", .double).notNull()
                t.column("launched_at", .double)
            }
            try db.create(table: "base_images") { t in
                t.primaryKey("name", .text)
                t.column("last_used_at", .double).notNull()
            }
        },
        ProcessedMessages.migration,
        Migration("compute.v2.qemu_domains") { db in
            try db.create(table: "qemu_domains") { t in
                t.primaryKey("uuid", .text)
                t.column("vnc_port", .integer)
                t.column("domain", .text).notNull()
            }
        },
    ]

    public init(database: ServiceDatabase) {
        self.database = database
    }

    /// Opens `<statePath>/cirrus-compute.sqlite`.
    public static func open(statePath: String) throws -> ComputeStore {
        ComputeStore(database: try ServiceDatabase(path: statePath + "/cirrus-compute.sqlite", migrations: migrations))
    }

    /// A private in-memory store, for tests.
    public static func inMemory() throws -> ComputeStore {
        ComputeStore(database: try .inMemory(migrations: migrations))
    }

    public func instance(_ uuid: String) async throws -> InstanceRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM instances WHERE uuid = ?", arguments: [uuid]).map(Self.record)
        }
    }

    public func allInstances() async throws -> [InstanceRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM instances ORDER BY created_at").map(Self.record)
        }
    }

    /// Inserts or replaces `record`, and marks its base image used now.
    public func save(_ record: InstanceRecord) async throws {
        let buildJSON = String(decoding: try JSONEncoder().encode(record.build), as: UTF8.self)
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO instances
                      (uuid, state, task_state, power_state, build, base_image, created_at, updated_at, launched_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.uuid, record.state.rawValue, record.taskState?.rawValue, record.powerState.rawValue, buildJSON,
                    record.baseImage, record.createdAt.timeIntervalSince1970, record.updatedAt.timeIntervalSince1970,
                    record.launchedAt?.timeIntervalSince1970,
                ])
            try db.execute(
                sql: "INSERT OR REPLACE INTO base_images (name, last_used_at) VALUES (?, ?)",
                arguments: [record.baseImage, record.updatedAt.timeIntervalSince1970])
        }
    }

    /// Updates the state columns of an instance ``save(_:)`` stored, leaving its build request
    /// (a large JSON column) as it was; saves it whole when it is not stored yet.
    public func saveState(_ record: InstanceRecord) async throws {
        let updated = try await database.write { db -> Bool in
            try db.execute(
                sql: """
                    UPDATE instances SET state = ?, task_state = ?, power_state = ?, updated_at = ?, launched_at = ?
                    WHERE uuid = ?
                    """,
                arguments: [
                    record.state.rawValue, record.taskState?.rawValue, record.powerState.rawValue,
                    record.updatedAt.timeIntervalSince1970, record.launchedAt?.timeIntervalSince1970, record.uuid,
                ])
            return db.changesCount > 0
        }
        if !updated { try await save(record) }
    }

    /// Forgets an instance (after its files are gone).
    public func purge(_ uuid: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM instances WHERE uuid = ?", arguments: [uuid])
        }
    }

    /// When each base image was last used by a build or an instance that went away.
    public func baseImageLastUse() async throws -> [String: Date] {
        try await database.read { db in
            var out: [String: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, last_used_at FROM base_images") {
                out[row["name"]] = Date(timeIntervalSince1970: row["last_used_at"])
            }
            return out
        }
    }

    /// Marks a base image (a kernel or ramdisk no record names) used at `date`.
    public func touchBaseImage(_ name: String, at date: Date) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO base_images (name, last_used_at) VALUES (?, ?)",
                arguments: [name, date.timeIntervalSince1970])
        }
    }

    /// Forgets a base image that was removed from `_base`.
    public func forgetBaseImage(_ name: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM base_images WHERE name = ?", arguments: [name])
        }
    }

    private static func record(_ row: Row) throws -> InstanceRecord {
        let stateRaw: String = row["state"]
        guard let state = InstanceRecord.State(rawValue: stateRaw) else {
            throw StoreError("instance \(row["uuid"] as String) has unknown state \(stateRaw) in cirrus-compute.sqlite")
        }
        let build = try JSONDecoder().decode(BuildAndRunInstanceArguments.self, from: Data((row["build"] as String).utf8))
        return InstanceRecord(
            uuid: row["uuid"], state: state, taskState: (row["task_state"] as String?).flatMap(TaskState.init(rawValue:)),
            powerState: PowerState(rawValue: row["power_state"]) ?? .noState, build: build, baseImage: row["base_image"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
            launchedAt: (row["launched_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}

/// The compute database holds something this release cannot read.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
