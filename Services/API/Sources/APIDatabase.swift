import Foundation
import Storage

/// cirrus-api's authoritative records (SQLite, WAL). Shipped migrations are never edited;
/// a schema change is a new migration at the end.
public enum APIDatabase {
    public static let migrations: [Migration] = [
        ProcessedMessages.migration,
        Migration("api.v1.services") { db in
            try db.create(table: "services") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("binary", .text).notNull()
                t.column("host", .text).notNull()
                t.column("topic", .text).notNull()
                t.column("report_count", .integer).notNull().defaults(to: 0)
                t.column("availability_zone", .text)
                t.column("version", .text)
                t.column("disabled", .boolean).notNull().defaults(to: false)
                t.column("disabled_reason", .text)
                t.column("forced_down", .boolean).notNull().defaults(to: false)
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                t.column("last_seen_up", .datetime)
                t.uniqueKey(["binary", "host"])
            }
        },
        Migration("api.v2.identity_images_flavors_keypairs", apply: APIDatabaseSchema.identityAndCatalog),
        Migration("api.v2.instances", apply: APIDatabaseSchema.instances),
        Migration("api.v2.flavor_seed", apply: FlavorRecord.seed),
        Migration("api.v3.networking", apply: NetworkSchema.migrate),
    ]

    /// Opens (creating and migrating) `<state_path>/cirrus-api.sqlite`.
    public static func open(statePath: String) throws -> ServiceDatabase {
        try ServiceDatabase(path: statePath + "/cirrus-api.sqlite", migrations: migrations)
    }
}
