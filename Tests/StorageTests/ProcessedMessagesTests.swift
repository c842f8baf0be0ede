import Foundation
import Storage
import Testing

private let ledger = Migration("v1.ledger") { db in
    try db.create(table: "ledger") { t in t.column("amount", .integer) }
}

/// An idempotent handler: applies `amount` once per unique id, inside one write transaction.
private func handle(_ database: ServiceDatabase, uniqueID: String, amount: Int, fail: Bool = false) async throws -> Bool {
    struct HandlerFailed: Error {}
    return try await database.write { db in
        guard try ProcessedMessages.markProcessed(db, uniqueID: uniqueID) else { return false }
        try db.execute(sql: "INSERT INTO ledger (amount) VALUES (?)", arguments: [amount])
        if fail { throw HandlerFailed() }
        return true
    }
}

private func total(_ database: ServiceDatabase) async throws -> Int {
    try await database.read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM ledger") ?? 0 }
}

@Suite struct ProcessedMessagesTests {
    @Test func duplicateDeliveryIsAppliedOnce() async throws {
        let database = try ServiceDatabase.inMemory(migrations: [ledger, ProcessedMessages.migration])
        #expect(try await handle(database, uniqueID: "m1", amount: 5))
        #expect(try await handle(database, uniqueID: "m1", amount: 5) == false)
        #expect(try await handle(database, uniqueID: "m2", amount: 7))
        #expect(try await total(database) == 12)
    }

    @Test func markIsRolledBackWithAFailedHandler() async throws {
        let database = try ServiceDatabase.inMemory(migrations: [ledger, ProcessedMessages.migration])
        await #expect(throws: (any Error).self) {
            try await handle(database, uniqueID: "m1", amount: 5, fail: true)
        }
        let seen = try await database.read { db in try ProcessedMessages.contains(db, uniqueID: "m1") }
        #expect(!seen)
        // Redelivery after the failure is applied.
        #expect(try await handle(database, uniqueID: "m1", amount: 5))
        #expect(try await total(database) == 5)
    }

    @Test func dedupeSurvivesReopen() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("agent.sqlite")
        let first = try ServiceDatabase(path: path, migrations: [ledger, ProcessedMessages.migration])
        #expect(try await handle(first, uniqueID: "m1", amount: 1))
        try first.close()
        let second = try ServiceDatabase(path: path, migrations: [ledger, ProcessedMessages.migration])
        #expect(try await handle(second, uniqueID: "m1", amount: 1) == false)
        #expect(try await total(second) == 1)
    }

    @Test func pruneKeepingNewest() async throws {
        let database = try ServiceDatabase.inMemory(migrations: [ProcessedMessages.migration])
        let start = Date(timeIntervalSince1970: 1_000_000)
        let (deleted, remaining) = try await database.write { db in
            for index in 0..<10 {
                _ = try ProcessedMessages.markProcessed(
                    db, uniqueID: "m\(index)", now: start.addingTimeInterval(Double(index)))
            }
            let deleted = try ProcessedMessages.prune(db, keepingNewest: 3)
            let remaining = try String.fetchAll(
                db, sql: "SELECT unique_id FROM processed_messages ORDER BY unique_id")
            return (deleted, remaining)
        }
        #expect(deleted == 7)
        #expect(remaining == ["m7", "m8", "m9"])
    }

    @Test func pruneOlderThanAge() async throws {
        let database = try ServiceDatabase.inMemory(migrations: [ProcessedMessages.migration])
        let now = Date(timeIntervalSince1970: 2_000_000)
        let (deleted, count, oldSeen) = try await database.write { db in
            _ = try ProcessedMessages.markProcessed(db, uniqueID: "old", now: now.addingTimeInterval(-7200))
            _ = try ProcessedMessages.markProcessed(db, uniqueID: "new", now: now.addingTimeInterval(-60))
            let deleted = try ProcessedMessages.prune(db, olderThan: .seconds(3600), now: now)
            return (deleted, try ProcessedMessages.count(db), try ProcessedMessages.contains(db, uniqueID: "old"))
        }
        #expect(deleted == 1)
        #expect(count == 1)
        #expect(!oldSeen)
    }

    @Test func missingMigrationSaysWhatToAdd() async throws {
        let database = try ServiceDatabase.inMemory(migrations: [ledger])
        let error = await #expect(throws: StorageError.self) {
            try await database.write { db in try ProcessedMessages.markProcessed(db, uniqueID: "m1") }
        }
        #expect(error?.isMissingTable == true)
        #expect(error?.description.contains("ProcessedMessages.migration") == true)
    }

    @Test func emptyUniqueIDIsRejected() async throws {
        let database = try ServiceDatabase.inMemory(migrations: [ProcessedMessages.migration])
        let error = await #expect(throws: StorageError.self) {
            try await database.write { db in try ProcessedMessages.markProcessed(db, uniqueID: "") }
        }
        #expect(error?.isInvalidArgument == true)
    }
}
