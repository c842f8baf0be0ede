import Foundation
import GRDB

/// Remembers the `_unique_id` of messages a handler has already applied, so at-least-once
/// delivery (a redelivered cast after a crash before the ack) changes state only once.
///
/// Add ``migration`` to the service's migrations, then call ``markProcessed(_:uniqueID:now:)``
/// first thing INSIDE the handler's write transaction. The mark commits with the handler's
/// changes or rolls back with them, so a message is never marked without its effects:
///
/// ```swift
/// try await database.write { db in
///     guard try ProcessedMessages.markProcessed(db, uniqueID: envelope.uniqueID) else {
///         return  // duplicate delivery: already applied, just ack
///     }
///     try applyChanges(db)
/// }
/// ```
///
/// Prune periodically (``prune(_:keepingNewest:)`` / ``prune(_:olderThan:)``) with a window
/// longer than any redelivery can take.
public enum ProcessedMessages {
    /// Name of the table: `processed_messages(unique_id TEXT PRIMARY KEY, processed_at DATETIME)`.
    public static let tableName = "processed_messages"

    /// Creates the table and an index on `processed_at` for pruning.
    public static let migration = Migration("cirrus.processed_messages.v1") { db in
        try db.create(table: tableName) { table in
            table.primaryKey("unique_id", .text)
            table.column("processed_at", .datetime).notNull()
        }
        try db.create(index: "\(tableName)_on_processed_at", on: tableName, columns: ["processed_at"])
    }

    /// Records `uniqueID` as processed at `now`.
    ///
    /// - Returns: `true` when the id is new (apply the message), `false` when it was already
    ///   recorded (a duplicate: skip its effects, then ack).
    /// - Throws: ``StorageError`` when `uniqueID` is empty or the table is missing.
    public static func markProcessed(_ db: GRDB.Database, uniqueID: String, now: Date = Date()) throws -> Bool {
        guard !uniqueID.isEmpty else {
            throw StorageError(.invalidArgument, path: nil,
                               message: "message unique id is empty; senders must set `_unique_id`")
        }
        try guardTable {
            try db.execute(
                sql: "INSERT OR IGNORE INTO \(tableName) (unique_id, processed_at) VALUES (?, ?)",
                arguments: [uniqueID, now])
        }
        return db.changesCount == 1
    }

    /// Whether `uniqueID` is recorded as processed.
    public static func contains(_ db: GRDB.Database, uniqueID: String) throws -> Bool {
        try guardTable {
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS(SELECT 1 FROM \(tableName) WHERE unique_id = ?)", arguments: [uniqueID]
            ) ?? false
        }
    }

    /// Number of recorded ids.
    public static func count(_ db: GRDB.Database) throws -> Int {
        try guardTable { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(tableName)") ?? 0 }
    }

    /// Deletes all but the `count` most recently processed ids.
    /// - Returns: the number of ids deleted.
    @discardableResult
    public static func prune(_ db: GRDB.Database, keepingNewest count: Int) throws -> Int {
        try guardTable {
            try db.execute(
                sql: """
                    DELETE FROM \(tableName) WHERE rowid NOT IN (
                        SELECT rowid FROM \(tableName) ORDER BY processed_at DESC, rowid DESC LIMIT ?)
                    """,
                arguments: [max(0, count)])
            return db.changesCount
        }
    }

    /// Deletes ids processed before `cutoff`.
    /// - Returns: the number of ids deleted.
    @discardableResult
    public static func prune(_ db: GRDB.Database, olderThan cutoff: Date) throws -> Int {
        try guardTable {
            try db.execute(sql: "DELETE FROM \(tableName) WHERE processed_at < ?", arguments: [cutoff])
            return db.changesCount
        }
    }

    /// Deletes ids processed more than `age` before `now`.
    /// - Returns: the number of ids deleted.
    @discardableResult
    public static func prune(_ db: GRDB.Database, olderThan age: Duration, now: Date = Date()) throws -> Int {
        let parts = age.components
        let seconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        return try prune(db, olderThan: now.addingTimeInterval(-seconds))
    }

    /// Runs `body`, turning "no such table" into an error that says which migration is missing.
    private static func guardTable<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.message?.contains("no such table: \(tableName)") == true {
            throw StorageError(
                .missingTable, path: nil,
                message: "table '\(tableName)' does not exist; add ProcessedMessages.migration to the "
                    + "service's migrations",
                underlying: error)
        }
    }
}
