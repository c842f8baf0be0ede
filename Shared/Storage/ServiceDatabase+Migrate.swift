import GRDB
import Logging

extension ServiceDatabase {
    /// Applies the migrations of `migrator` that `writer` has not recorded yet, one at a time so a
    /// failure names the migration, after refusing a database migrated by a newer release.
    static func migrate(
        _ writer: any DatabaseWriter,
        with migrator: DatabaseMigrator,
        location: Location,
        logger: Logger?
    ) throws {
        let known = migrator.migrations
        let recorded: [String]
        do {
            recorded = try writer.read { db in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
        } catch {
            throw StorageError(
                .openFailed, path: location.description,
                message: "cannot read the migration history of database '\(location)'; "
                    + "if the file is damaged, restore it from a backup or move it aside to start empty",
                underlying: error)
        }

        let unknown = recorded.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw StorageError(
                .databaseFromNewerRelease, path: location.description,
                message: "database '\(location)' was migrated by a newer release "
                    + "(migrations unknown to this one: \(unknown.sorted().joined(separator: ", "))); "
                    + "run that release, or restore a backup taken before the upgrade")
        }

        for identifier in known where !recorded.contains(identifier) {
            do {
                try migrator.migrate(writer, upTo: identifier)
            } catch {
                throw StorageError(
                    .migrationFailed, path: location.description,
                    message: "migration '\(identifier)' failed on database '\(location)'; the database "
                        + "stays at the previous migration: fix the migration or the data it trips over, "
                        + "then restart",
                    underlying: error)
            }
            logger?.info(
                "Applied database migration.",
                metadata: ["database.path": "\(location)", "migration.id": "\(identifier)"])
        }
    }
}
