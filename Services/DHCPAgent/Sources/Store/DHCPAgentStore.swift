import Foundation
import Schemas
import Storage

/// The agent's SQLite (`<state_path>/dhcp-agent.sqlite`): every network it serves (the
/// network with subnets and ports as JSON) and its DHCP port there, so that after a restart
/// dnsmasq is serving again before cirrus-api answers.
public struct DHCPAgentStore: Sendable {
    public let database: ServiceDatabase

    public static let migrations: [Migration] = [
        Migration("dhcp_agent.v1.networks") { db in
            try db.create(table: "networks") { t in
                t.primaryKey("id", .text)
                t.column("network", .blob).notNull()
                t.column("dhcp_port", .blob)
                t.column("updated_at", .double).notNull()
            }
        },
    ]

    public init(database: ServiceDatabase) {
        self.database = database
    }

    /// Opens `<statePath>/dhcp-agent.sqlite`.
    public static func open(statePath: String) throws -> DHCPAgentStore {
        DHCPAgentStore(database: try ServiceDatabase(path: statePath + "/dhcp-agent.sqlite", migrations: migrations))
    }

    /// A private in-memory store, for tests.
    public static func inMemory() throws -> DHCPAgentStore {
        DHCPAgentStore(database: try .inMemory(migrations: migrations))
    }

    /// Every stored network; rows that no longer decode are skipped (and reported in `unreadable`).
    public func all() async throws -> (networks: [ServedNetwork], unreadable: [String]) {
        try await database.read { db in
            var out: [ServedNetwork] = [], bad: [String] = []
            let decoder = JSONDecoder()
            for row in try Row.fetchAll(db, sql: "SELECT id, network, dhcp_port FROM networks ORDER BY id") {
                let id: String = row["id"]
                do {
                    let network = try decoder.decode(NetworkInfo.self, from: row["network"] as Data)
                    let port = try (row["dhcp_port"] as Data?).map { try decoder.decode(PortInfo.self, from: $0) }
                    out.append(ServedNetwork(network: network, dhcpPort: port))
                } catch {
                    bad.append(id)
                }
            }
            return (out, bad)
        }
    }

    /// Inserts or replaces `networks` and deletes `removed`, in one transaction.
    public func save(_ networks: [ServedNetwork], removing removed: [String] = []) async throws {
        let encoder = JSONEncoder()
        let rows = try networks.map { n in
            (n.id, try encoder.encode(n.network), try n.dhcpPort.map { try encoder.encode($0) })
        }
        let now = Date().timeIntervalSince1970
        try await database.write { db in
            for (id, network, port) in rows {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO networks (id, network, dhcp_port, updated_at) VALUES (?, ?, ?, ?)",
                    arguments: [id, network, port, now])
            }
            for id in removed {
                try db.execute(sql: "DELETE FROM networks WHERE id = ?", arguments: [id])
            }
        }
    }
}
