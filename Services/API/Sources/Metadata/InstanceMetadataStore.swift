import Foundation
import Schemas
import Storage

/// Loads instance metadata documents (``InstanceMetadataBuilder``) and answers the metadata
/// proxy's look-ups. Each runs inside the caller's transaction.
public enum InstanceMetadataStore {
    /// The documents of the live instances among `uuids` (missing ones are left out).
    public static func load(_ db: Database, instances uuids: [String]) throws -> [InstanceMetadata] {
        guard !uuids.isEmpty else { return [] }
        let rows = try InstanceRecord.filter(uuids.contains(Column("uuid")) && Column("deleted") == false).fetchAll(db)
        guard !rows.isEmpty else { return [] }
        let live = rows.map(\.uuid)
        let imageIDs = Array(Set(rows.map(\.image.id)))
        var imageInternal: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT image_id, internal_id FROM image_internal_ids WHERE image_id IN (\(marks(imageIDs.count)))", arguments: StatementArguments(imageIDs)) {
            imageInternal[row[0]] = row[1]
        }
        var passwords: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT instance_uuid, password FROM instance_passwords WHERE instance_uuid IN (\(marks(live.count)))", arguments: StatementArguments(live)) {
            passwords[row[0]] = row[1]
        }
        var revisions: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT instance_uuid, revision FROM instance_metadata_revisions WHERE instance_uuid IN (\(marks(live.count)))", arguments: StatementArguments(live)) {
            revisions[row[0]] = row[1]
        }
        let ports = try NetworkStore.portInfos(
            db, PortRecord.filter(live.contains(Column("device_id")) && Column("device_owner") == DeviceOwner.compute).order(Column("created_at"), Column("id")).fetchAll(db))
        var networks: [String: NetworkInfo] = [:]
        for id in Set(ports.map(\.networkID)) {
            networks[id] = try NetworkStore.info(db, network: id, withPorts: false)
        }
        var interfaces: [String: [InstanceInterface]] = [:]
        for port in ports {
            guard var network = networks[port.networkID] else { continue }
            let own = Set(port.fixedIPs.map(\.subnetID))
            network.subnets = network.subnets.filter { own.contains($0.id) }
            interfaces[port.deviceID, default: []].append(InstanceInterface(port: port, network: network))
        }
        return rows.sorted { $0.uuid < $1.uuid }.map { row in
            InstanceMetadataBuilder.build(.init(
                instance: row, imageInternalID: imageInternal[row.image.id] ?? 0, password: passwords[row.uuid],
                interfaces: interfaces[row.uuid] ?? [], revision: revisions[row.uuid] ?? 0))
        }
    }

    /// The live instance whose compute port has `ip` on `network`, if any.
    public static func instance(_ db: Database, network: String, ip: String) throws -> String? {
        try String.fetchOne(
            db,
            sql: """
                SELECT p.device_id FROM ip_allocations a JOIN ports p ON p.id = a.port_id
                WHERE a.network_id = ? AND a.ip_address = ? AND p.device_owner = ? LIMIT 1
                """,
            arguments: [network, ip, DeviceOwner.compute])
    }

    /// A page of live instance uuids (with a port on one of `networks`, when given) after `marker`.
    public static func page(_ db: Database, networks: [String]?, marker: String?, limit: Int) throws -> [String] {
        var sql = "SELECT uuid FROM instances WHERE deleted = 0 AND uuid > ?"
        var args: [any DatabaseValueConvertible] = [marker ?? ""]
        if let networks {
            guard !networks.isEmpty else { return [] }
            sql += " AND uuid IN (SELECT device_id FROM ports WHERE device_owner = ? AND network_id IN (\(marks(networks.count))))"
            args.append(DeviceOwner.compute)
            args.append(contentsOf: networks)
        }
        sql += " ORDER BY uuid LIMIT ?"
        args.append(max(1, min(limit, 1000)))
        return try String.fetchAll(db, sql: sql, arguments: StatementArguments(args))
    }

    /// Stores the guest's password once; false when one was already set or the instance is gone.
    public static func setPassword(_ db: Database, instance uuid: String, password: String, now: Date) throws -> Bool {
        guard try InstanceStore.live(db, uuid: uuid) != nil else { return false }
        try db.execute(
            sql: "INSERT OR IGNORE INTO instance_passwords (instance_uuid, password, created_at) VALUES (?, ?, ?)",
            arguments: [uuid, password, now])
        guard db.changesCount > 0 else { return false }
        try NetworkStore.bumpMetadataRevision(db, instances: [uuid])
        return true
    }

    static func marks(_ n: Int) -> String { Array(repeating: "?", count: max(n, 1)).joined(separator: ",") }
}
