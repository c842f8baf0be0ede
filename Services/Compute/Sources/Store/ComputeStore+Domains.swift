import Foundation
import Storage

/// The qemu driver's table: one row per domain it runs (the definition, VNC port included),
/// so a restarted cirrus-compute can find and re-attach to its qemu processes.
extension ComputeStore {
    public func saveQemuDomain(_ domain: DomainDefinition) async throws {
        let json = String(decoding: try JSONEncoder().encode(domain), as: UTF8.self)
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO qemu_domains (uuid, vnc_port, domain) VALUES (?, ?, ?)",
                arguments: [domain.instance.uuid, domain.vncPort, json])
        }
    }

    public func qemuDomains() async throws -> [DomainDefinition] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT domain FROM qemu_domains ORDER BY uuid").map {
                try JSONDecoder().decode(DomainDefinition.self, from: Data($0.utf8))
            }
        }
    }

    public func deleteQemuDomain(_ uuid: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM qemu_domains WHERE uuid = ?", arguments: [uuid])
        }
    }
}
