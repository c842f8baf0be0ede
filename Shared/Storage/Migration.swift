import GRDB

/// One step of a service's SQLite schema, applied at most once per database file.
///
/// A service lists its migrations in order and never edits or reorders a migration that has
/// shipped; a schema change is a new migration appended at the end. The identifier is recorded
/// in GRDB's `grdb_migrations` table once the migration's transaction commits.
///
/// ```swift
/// let migrations: [Migration] = [
///     Migration("v1.instances") { db in
///         try db.create(table: "instances") { t in
///             t.primaryKey("uuid", .text)
///             t.column("vm_state", .text).notNull()
///         }
///     },
///     ProcessedMessages.migration,
/// ]
/// ```
public struct Migration: Sendable {
    /// Stable, unique name of the migration (for example `"v1.instances"`).
    public let identifier: String
    /// Whether foreign keys are checked after the migration (`.deferred`, GRDB's default) or
    /// immediately while it runs (`.immediate`, faster on large tables).
    public let foreignKeyChecks: DatabaseMigrator.ForeignKeyChecks
    /// The schema change itself. Runs inside a transaction.
    public let apply: @Sendable (GRDB.Database) throws -> Void

    /// Creates a migration named `identifier` that runs `apply` once.
    public init(
        _ identifier: String,
        foreignKeyChecks: DatabaseMigrator.ForeignKeyChecks = .deferred,
        apply: @escaping @Sendable (GRDB.Database) throws -> Void
    ) {
        self.identifier = identifier
        self.foreignKeyChecks = foreignKeyChecks
        self.apply = apply
    }
}

extension DatabaseMigrator {
    /// A migrator with `migrations` registered in order.
    ///
    /// Registering the same identifier twice is a programming error (GRDB traps).
    public init(migrations: [Migration]) {
        self.init()
        for migration in migrations {
            registerMigration(migration)
        }
    }

    /// Registers a ``Migration`` value, so shared migrations (such as
    /// ``ProcessedMessages/migration``) can be added to a hand-configured migrator.
    public mutating func registerMigration(_ migration: Migration) {
        registerMigration(
            migration.identifier,
            foreignKeyChecks: migration.foreignKeyChecks,
            migrate: migration.apply
        )
    }
}
