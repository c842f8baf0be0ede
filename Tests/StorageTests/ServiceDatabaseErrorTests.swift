import Foundation
import Storage
import Testing

@Suite struct ServiceDatabaseErrorTests {
    @Test func unwritableParentPathNamesThePath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // A regular file where a directory should be: unwritable even for root.
        let blocker = dir.file("not-a-directory")
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        let path = "\(blocker)/state/compute.sqlite"

        let error = try #require(throws: StorageError.self) {
            try ServiceDatabase(path: path, migrations: [])
        }
        #expect(error.isNotWritable)
        #expect(error.path == path)
        #expect(error.description.contains(path))
        #expect(error.description.contains("state directory"))
    }

    @Test(.disabled(if: getuid() == 0, "root bypasses directory permissions"))
    func readOnlyDirectoryIsReportedWithThePath() throws {
        let dir = try TemporaryDirectory()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
            dir.remove()
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        let path = dir.file("compute.sqlite")
        let error = try #require(throws: StorageError.self) {
            try ServiceDatabase(path: path, migrations: [])
        }
        #expect(error.isNotWritable)
        #expect(error.description.contains("is not writable"))
        #expect(error.description.contains(path))
    }

    @Test func fileThatIsNotADatabaseIsReported() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("garbage.sqlite")
        let garbage = Data(repeating: 0x41, count: 4096)
        #expect(FileManager.default.createFile(atPath: path, contents: garbage))
        let error = try #require(throws: StorageError.self) {
            try ServiceDatabase(path: path, migrations: [Migration("v1") { db in
                try db.create(table: "t") { t in t.column("a") }
            }])
        }
        #expect(error.description.contains(path))
        #expect(!error.isNotWritable)
    }

    @Test func failingMigrationIsNamedAndEarlierOnesStay() async throws {
        struct Boom: Error {}
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("db.sqlite")
        let good = Migration("v1.good") { db in try db.create(table: "good") { t in t.column("a") } }
        let bad = Migration("v2.bad") { db in
            try db.create(table: "half") { t in t.column("a") }
            throw Boom()
        }
        let error = try #require(throws: StorageError.self) {
            try ServiceDatabase(path: path, migrations: [good, bad])
        }
        #expect(error.isMigrationFailed)
        #expect(error.description.contains("'v2.bad'"))
        #expect(error.description.contains(path))

        let reopened = try ServiceDatabase(path: path, migrations: [good])
        #expect(try await reopened.appliedMigrations() == ["v1.good"])
        let halfExists = try await reopened.read { db in try db.tableExists("half") }
        #expect(!halfExists)
    }

    @Test func databaseFromANewerReleaseIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("db.sqlite")
        let v1 = Migration("v1") { db in try db.create(table: "a") { t in t.column("x") } }
        let v2 = Migration("v2") { db in try db.create(table: "b") { t in t.column("x") } }
        try ServiceDatabase(path: path, migrations: [v1, v2]).close()

        let error = try #require(throws: StorageError.self) {
            try ServiceDatabase(path: path, migrations: [v1])
        }
        #expect(error.isDatabaseFromNewerRelease)
        #expect(error.description.contains("v2"))
    }
}
