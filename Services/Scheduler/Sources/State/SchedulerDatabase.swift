import Foundation
import Storage

/// cirrus-scheduler's SQLite: host states and claims, restored at start.
public enum SchedulerDatabase {
    public static let migrations: [Migration] = [
        Migration("scheduler.v1.hosts_claims") { db in
            try db.create(table: "hosts") { t in
                t.primaryKey("host", .text)
                t.column("nodename", .text).notNull()
                t.column("hypervisor_type", .text).notNull()
                t.column("host_ip", .text).notNull()
                t.column("vcpus", .integer).notNull()
                t.column("memory_mb", .integer).notNull()
                t.column("local_gb", .integer).notNull()
                t.column("vcpus_used", .integer).notNull()
                t.column("memory_mb_used", .integer).notNull()
                t.column("local_gb_used", .integer).notNull()
                t.column("running_vms", .integer).notNull()
                t.column("availability_zone", .text).notNull()
                t.column("capabilities", .text).notNull()
                t.column("last_report_at", .double)
                t.column("disabled", .boolean).notNull().defaults(to: false)
                t.column("forced_down", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "claims") { t in
                t.primaryKey("instance_uuid", .text)
                t.column("host", .text).notNull().indexed()
                t.column("vcpus", .integer).notNull()
                t.column("memory_mb", .integer).notNull()
                t.column("disk_gb", .integer).notNull()
                t.column("created_at", .double).notNull()
            }
        },
    ]

    /// Opens (creating and migrating) `<state_path>/cirrus-scheduler.sqlite`.
    public static func open(statePath: String) throws -> ServiceDatabase {
        try ServiceDatabase(path: statePath + "/cirrus-scheduler.sqlite", migrations: migrations)
    }

    /// Reads every host and claim.
    public static func load(_ database: ServiceDatabase) async throws -> HostTable {
        try await database.read { db in
            let hosts = try Row.fetchAll(db, sql: "SELECT * FROM hosts ORDER BY rowid").map(host(from:))
            let claims = try Row.fetchAll(db, sql: "SELECT * FROM claims").map { row in
                Claim(
                    instanceUUID: row["instance_uuid"], host: row["host"],
                    resources: Resources(vcpus: row["vcpus"], memoryMB: row["memory_mb"], diskGB: row["disk_gb"], instances: 1),
                    createdAt: row["created_at"])
            }
            return HostTable(hosts: hosts, claims: claims)
        }
    }

    /// Applies `ops` in order inside the caller's transaction.
    public static func apply(_ ops: [PersistenceOp], to db: Database) throws {
        for op in ops {
            switch op {
            case .upsertHost(let h):
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO hosts (host, nodename, hypervisor_type, host_ip, vcpus, memory_mb, local_gb,
                          vcpus_used, memory_mb_used, local_gb_used, running_vms, availability_zone, capabilities,
                          last_report_at, disabled, forced_down)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        h.host, h.nodename, h.hypervisorType, h.hostIP, h.vcpus, h.memoryMB, h.localGB, h.reported.vcpus,
                        h.reported.memoryMB, h.reported.diskGB, h.reported.instances, h.availabilityZone,
                        encode(h.capabilities), h.lastReportAt, h.disabled, h.forcedDown,
                    ])
            case .insertClaim(let c):
                try db.execute(
                    sql: "INSERT OR REPLACE INTO claims (instance_uuid, host, vcpus, memory_mb, disk_gb, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [c.instanceUUID, c.host, c.resources.vcpus, c.resources.memoryMB, c.resources.diskGB, c.createdAt])
            case .deleteClaim(let uuid):
                try db.execute(sql: "DELETE FROM claims WHERE instance_uuid = ?", arguments: [uuid])
            }
        }
    }

    private static func host(from row: Row) -> HostState {
        HostState(
            host: row["host"], nodename: row["nodename"], hypervisorType: row["hypervisor_type"], hostIP: row["host_ip"],
            availabilityZone: row["availability_zone"], capabilities: decode(row["capabilities"]), vcpus: row["vcpus"],
            memoryMB: row["memory_mb"], localGB: row["local_gb"],
            reported: Resources(
                vcpus: row["vcpus_used"], memoryMB: row["memory_mb_used"], diskGB: row["local_gb_used"],
                instances: row["running_vms"]),
            lastReportAt: row["last_report_at"], disabled: row["disabled"], forcedDown: row["forced_down"])
    }

    private static func encode(_ capabilities: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(capabilities)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private static func decode(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
