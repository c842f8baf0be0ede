import Foundation
import Storage
import Testing

private let instancesV1 = Migration("v1.instances") { db in
    try db.create(table: "instances") { t in
        t.primaryKey("uuid", .text)
        t.column("vm_state", .text).notNull()
    }
    try db.create(table: "migration_runs") { t in t.column("identifier", .text) }
    try db.execute(sql: "INSERT INTO migration_runs VALUES ('v1.instances')")
}

private let instancesV2 = Migration("v2.instances.host") { db in
    try db.alter(table: "instances") { t in t.add(column: "host", .text) }
    try db.execute(sql: "INSERT INTO migration_runs VALUES ('v2.instances.host')")
}

private func migrationRuns(_ database: ServiceDatabase) async throws -> [String] {
    try await database.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM migration_runs") }
}

@Suite struct ServiceDatabaseTests {
    @Test func createsParentDirectoriesAndAppliesMigrationsOnce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("state/nested/compute.sqlite")

        let first = try ServiceDatabase(path: path, migrations: [instancesV1])
        #expect(first.location == .file(path: path))
        #expect(try await first.appliedMigrations() == ["v1.instances"])
        try first.close()

        let second = try ServiceDatabase(path: path, migrations: [instancesV1])
        #expect(try await migrationRuns(second) == ["v1.instances"])
        #expect(try await second.appliedMigrations() == ["v1.instances"])
        try second.close()
    }

    @Test func reopenWithAnAddedMigrationAppliesOnlyTheNewOne() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("api.sqlite")
        try ServiceDatabase(path: path, migrations: [instancesV1]).close()

        var migrator = DatabaseMigrator()
        migrator.registerMigration(instancesV1)
        migrator.registerMigration(instancesV2)
        let database = try ServiceDatabase(path: path, migrator: migrator)
        #expect(try await migrationRuns(database) == ["v1.instances", "v2.instances.host"])
        #expect(try await database.appliedMigrations() == ["v1.instances", "v2.instances.host"])
    }

    @Test func committedWritesSurviveCloseAndReopen() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("compute.sqlite")

        let database = try ServiceDatabase(path: path, migrations: [instancesV1])
        try await database.write { db in
            try db.execute(sql: "INSERT INTO instances (uuid, vm_state) VALUES ('a', 'building')")
        }
        try database.close()

        let reopened = try ServiceDatabase(path: path, migrations: [instancesV1])
        let state = try await reopened.read { db in
            try String.fetchOne(db, sql: "SELECT vm_state FROM instances WHERE uuid = 'a'")
        }
        #expect(state == "building")
    }

    @Test func committedWritesSurviveWithoutAnExplicitClose() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("compute.sqlite")
        do {
            let database = try ServiceDatabase(path: path, migrations: [instancesV1])
            try await database.write { db in
                try db.execute(sql: "INSERT INTO instances (uuid, vm_state) VALUES ('b', 'active')")
            }
        }
        let reopened = try ServiceDatabase(path: path, migrations: [instancesV1])
        let count = try await reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM instances") }
        #expect(count == 1)
    }

    @Test func failedWriteRollsBack() async throws {
        struct HandlerFailed: Error {}
        let database = try ServiceDatabase.inMemory(migrations: [instancesV1])
        await #expect(throws: HandlerFailed.self) {
            try await database.write { db in
                try db.execute(sql: "INSERT INTO instances (uuid, vm_state) VALUES ('c', 'building')")
                throw HandlerFailed()
            }
        }
        let count = try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM instances") }
        #expect(count == 0)
    }

    @Test func fileDatabaseUsesWALAndCirrusPragmas() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let database = try ServiceDatabase(path: dir.file("db.sqlite"), migrations: [])
        let pragmas = try await database.write { db in
            [
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try String.fetchOne(db, sql: "PRAGMA synchronous"),
                try String.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try String.fetchOne(db, sql: "PRAGMA busy_timeout"),
            ]
        }
        #expect(pragmas == ["wal", "1", "1", "5000"])
    }

    @Test func foreignKeysAreEnforced() async throws {
        let database = try ServiceDatabase.inMemory(migrations: [
            Migration("v1") { db in
                try db.create(table: "networks") { t in t.primaryKey("id", .text) }
                try db.create(table: "ports") { t in
                    t.primaryKey("id", .text)
                    t.belongsTo("network", inTable: "networks").notNull()
                }
            },
        ])
        await #expect(throws: DatabaseError.self) {
            try await database.write { db in
                try db.execute(sql: "INSERT INTO ports (id, networkId) VALUES ('p', 'missing')")
            }
        }
    }
}
