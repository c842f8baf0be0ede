import Foundation
import GRDB
import Logging

/// A service's local SQLite database: one file in WAL mode (a GRDB `DatabasePool`: one writer,
/// concurrent readers), or an in-memory `DatabaseQueue` for tests, with the service's migrations
/// applied at open.
///
/// Open it once at startup and share it (it is `Sendable`); all access goes through ``read(_:)``
/// and ``write(_:)``, whose closures run on GRDB's queues, off the caller's executor:
///
/// ```swift
/// let database = try ServiceDatabase(path: "\(statePath)/compute.sqlite", migrations: migrations,
///                                    logger: logger)
/// try await database.write { db in
///     guard try ProcessedMessages.markProcessed(db, uniqueID: message.uniqueID) else { return }
///     try db.execute(sql: "UPDATE instances SET vm_state = ? WHERE uuid = ?", arguments: [...])
/// }
/// ```
public struct ServiceDatabase: Sendable {
    /// Where a database lives.
    public enum Location: Sendable, Equatable, CustomStringConvertible {
        /// A file on disk (the path as given to the initialiser).
        case file(path: String)
        /// Private memory, gone when the last reference goes away.
        case inMemory

        public var description: String {
            switch self {
            case .file(let path): path
            case .inMemory: ":memory:"
            }
        }
    }

    /// Where this database lives.
    public let location: Location
    /// The underlying GRDB writer, for what the wrapper does not cover (observation, backup).
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) the WAL database at `path`, creating its parent directories,
    /// then applies `migrations` that are not yet applied, in order.
    ///
    /// Blocks while migrating: call it at startup, before serving.
    /// - Throws: ``StorageError`` naming the path, when the directory or file is not writable,
    ///   the file is not a database, a migration fails, or the file was migrated by a newer
    ///   release.
    public init(
        path: String,
        migrations: [Migration],
        options: StorageOptions = StorageOptions(),
        logger: Logger? = nil
    ) throws {
        try self.init(path: path, migrator: DatabaseMigrator(migrations: migrations), options: options, logger: logger)
    }

    /// Opens the WAL database at `path` like ``init(path:migrations:options:logger:)``, applying a
    /// migrator the service configured itself.
    public init(
        path: String,
        migrator: DatabaseMigrator,
        options: StorageOptions = StorageOptions(),
        logger: Logger? = nil
    ) throws {
        let pool = try DatabaseFileOpener(path: path, options: options).openPool()
        try Self.migrate(pool, with: migrator, location: .file(path: path), logger: logger)
        self.location = .file(path: path)
        self.writer = pool
    }

    /// Opens a private in-memory database with `migrations` applied: for tests.
    public static func inMemory(
        migrations: [Migration],
        options: StorageOptions = StorageOptions(),
        logger: Logger? = nil
    ) throws -> ServiceDatabase {
        try inMemory(migrator: DatabaseMigrator(migrations: migrations), options: options, logger: logger)
    }

    /// Opens a private in-memory database with `migrator` applied: for tests.
    public static func inMemory(
        migrator: DatabaseMigrator,
        options: StorageOptions = StorageOptions(),
        logger: Logger? = nil
    ) throws -> ServiceDatabase {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: options.grdbConfiguration(isFile: false))
        } catch {
            throw StorageError(.openFailed, path: Location.inMemory.description,
                               message: "cannot open an in-memory SQLite database", underlying: error)
        }
        try migrate(queue, with: migrator, location: .inMemory, logger: logger)
        return ServiceDatabase(location: .inMemory, writer: queue)
    }

    private init(location: Location, writer: any DatabaseWriter) {
        self.location = location
        self.writer = writer
    }

    /// Runs `body` in a read-only transaction that sees a consistent snapshot.
    public func read<T: Sendable>(_ body: @Sendable (GRDB.Database) throws -> T) async throws -> T {
        try await writer.read(body)
    }

    /// Runs `body` in a write transaction: committed when it returns, rolled back when it throws.
    /// Writes are serialised; keep the closure short and free of network I/O.
    public func write<T: Sendable>(_ body: @Sendable (GRDB.Database) throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// Identifiers of the migrations recorded in this database, in the order they were applied.
    public func appliedMigrations() async throws -> [String] {
        try await writer.read { db in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
    }

    /// Closes the connections. Later access throws. Optional: connections also close when the
    /// last reference goes away; closing explicitly surfaces errors and releases file locks now.
    public func close() throws {
        try writer.close()
    }
}
