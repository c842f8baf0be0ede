import Foundation
import Schemas
import Storage

/// The proxy's SQLite (`<state_path>/cirrus-metadata-proxy.sqlite`): every cached instance as
/// JSON with its revision, and its (network, IP) addresses, so a restarted proxy serves known
/// instances while cirrus-api is down.
public struct MetadataStore: Sendable {
    public let database: ServiceDatabase

    public static let migrations: [Migration] = [
        Migration("metadata.v1.instances") { db in
            try db.create(table: "instances") { t in
                t.primaryKey("uuid", .text)
                t.column("revision", .integer).notNull()
                t.column("body", .blob).notNull()
            }
            try db.create(table: "addresses") { t in
                t.column("network_id", .text).notNull()
                t.column("ip", .text).notNull()
                t.column("uuid", .text).notNull().indexed()
                t.primaryKey(["network_id", "ip"])
            }
        },
        Migration("metadata.v2.rendered") { db in
            try db.alter(table: "instances") { t in
                t.add(column: "rendered", .blob)
                t.add(column: "rendered_fingerprint", .text)
                t.add(column: "has_password", .boolean).notNull().defaults(to: false)
            }
        },
    ]

    public init(database: ServiceDatabase) {
        self.database = database
    }

    public static func open(statePath: String) throws -> MetadataStore {
        let database = try ServiceDatabase(path: statePath + "/cirrus-metadata-proxy.sqlite", migrations: migrations)
        // The writer touches every row at refill: a 512 KB page cache instead of SQLite's 2 MB
        // keeps that out of the proxy's resident memory (reads are single-row lookups).
        try database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -512") }
        return MetadataStore(database: database)
    }

    public static func inMemory() throws -> MetadataStore {
        MetadataStore(database: try .inMemory(migrations: migrations))
    }

    /// Every cached instance's uuid, revision and addresses (for ``InstanceDirectory/restore``).
    public func index() async throws -> [(uuid: String, revision: Int, keys: [AddressKey])] {
        try await database.read { db in
            var keys: [String: [AddressKey]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT network_id, ip, uuid FROM addresses") {
                keys[row["uuid"], default: []].append(AddressKey(networkID: row["network_id"], ip: row["ip"]))
            }
            return try Row.fetchAll(db, sql: "SELECT uuid, revision FROM instances").map { row in
                let uuid: String = row["uuid"]
                return (uuid, row["revision"], keys[uuid] ?? [])
            }
        }
    }

    /// One instance, read synchronously (an indexed primary-key read, fine on an event loop).
    public func load(_ uuid: String) throws -> InstanceMetadata? {
        let body = try database.writer.read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM instances WHERE uuid = ?", arguments: [uuid])
        }
        return try body.map { try JSONDecoder().decode(InstanceMetadata.self, from: $0) }
    }

    /// The stored rendering of an instance, when it was made with `fingerprint` (a primary-key
    /// read; fine on any thread).
    public func loadRendered(_ uuid: String, fingerprint: String) throws -> (revision: Int, hasPassword: Bool, bytes: [UInt8])? {
        try database.writer.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT revision, has_password, rendered FROM instances WHERE uuid = ? AND rendered_fingerprint = ?",
                arguments: [uuid, fingerprint]),
                let data = row["rendered"] as Data? else { return nil }
            return (row["revision"], row["has_password"], Array(data))
        }
    }

    /// Stores instances unless an equal or newer revision is stored (`force`: same revision too),
    /// with their renderings when given (`rendered[uuid]`, made under `fingerprint`).
    public func save(
        _ instances: [InstanceMetadata], force: Bool = false, rendered: [String: [UInt8]] = [:], fingerprint: String = ""
    ) async throws {
        let encoder = JSONEncoder()
        let rows = try instances.map { ($0, try encoder.encode($0), rendered[$0.uuid].map { Data($0) }) }
        try await database.write { db in
            for (i, body, bytes) in rows {
                if let stored = try Int.fetchOne(db, sql: "SELECT revision FROM instances WHERE uuid = ?", arguments: [i.uuid]),
                   stored > i.revision || (stored == i.revision && !force) { continue }
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO instances (uuid, revision, body, rendered, rendered_fingerprint, has_password)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [i.uuid, i.revision, body, bytes, bytes == nil ? nil : fingerprint, !(i.password ?? "").isEmpty])
                try db.execute(sql: "DELETE FROM addresses WHERE uuid = ?", arguments: [i.uuid])
                for k in AddressKey.all(of: i) {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO addresses (network_id, ip, uuid) VALUES (?, ?, ?)",
                        arguments: [k.networkID, k.ip, i.uuid])
                }
            }
        }
    }

    public func delete(_ uuids: [String]) async throws {
        try await database.write { db in
            for uuid in uuids {
                try db.execute(sql: "DELETE FROM instances WHERE uuid = ?", arguments: [uuid])
                try db.execute(sql: "DELETE FROM addresses WHERE uuid = ?", arguments: [uuid])
            }
        }
    }
}
