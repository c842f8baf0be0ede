import Foundation
import Schemas
import Storage

/// Database operations on networks, subnets and ports shared by the REST handlers, the boot
/// path and the conductor. Each runs inside the caller's transaction.
public enum NetworkStore {
    /// Increments the network's revision (every change of it, its subnets or its ports).
    public static func bumpRevision(_ db: Database, network: String, now: Date) throws {
        try db.execute(
            sql: "UPDATE networks SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?", arguments: [now, network])
    }

    /// The ports with their fixed IPs, in the given order.
    public static func portInfos(_ db: Database, _ ports: [PortRecord]) throws -> [PortInfo] {
        guard !ports.isEmpty else { return [] }
        var ips: [String: [FixedIP]] = [:]
        let ids = ports.map(\.id)
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
            for a in try IPAllocationRecord.filter(part.contains(Column("port_id"))).order(Column("ip_int")).fetchAll(db) {
                ips[a.portID, default: []].append(a.fixedIP)
            }
        }
        return ports.map { $0.info(ips[$0.id] ?? []) }
    }

    public static func port(_ db: Database, id: String) throws -> PortInfo? {
        guard let row = try PortRecord.fetchOne(db, key: id) else { return nil }
        return try portInfos(db, [row]).first
    }

    public static func subnets(_ db: Database, network: String) throws -> [SubnetRecord] {
        try SubnetRecord.filter(Column("network_id") == network).order(Column("created_at"), Column("id")).fetchAll(db)
    }

    /// The network with its subnets, and its ports when `withPorts`.
    public static func info(_ db: Database, network id: String, withPorts: Bool) throws -> NetworkInfo? {
        guard let row = try NetworkRecord.fetchOne(db, key: id) else { return nil }
        return try info(db, row, withPorts: withPorts)
    }

    public static func info(_ db: Database, _ row: NetworkRecord, withPorts: Bool) throws -> NetworkInfo {
        let ports = withPorts ? try portInfos(db, PortRecord.filter(Column("network_id") == row.id).order(Column("created_at"), Column("id")).fetchAll(db)) : []
        return row.info(subnets: try subnets(db, network: row.id).map(\.info), ports: ports)
    }

    /// Deletes a port (its addresses go with it); returns what it was.
    @discardableResult
    public static func deletePort(_ db: Database, id: String, now: Date) throws -> PortInfo? {
        guard let info = try port(db, id: id) else { return nil }
        _ = try PortRecord.deleteOne(db, key: id)
        try bumpRevision(db, network: info.networkID, now: now)
        return info
    }

    /// The instance's ports (`device_id` = its uuid), in creation order.
    public static func instancePorts(_ db: Database, instance uuid: String) throws -> [PortInfo] {
        try portInfos(db, PortRecord.filter(Column("device_id") == uuid && Column("device_owner") == DeviceOwner.compute).order(Column("created_at"), Column("id")).fetchAll(db))
    }

    /// Deletes every port of the instance; returns them.
    public static func deleteInstancePorts(_ db: Database, instance uuid: String, now: Date) throws -> [PortInfo] {
        let ports = try instancePorts(db, instance: uuid)
        for port in ports { try deletePort(db, id: port.id, now: now) }
        return ports
    }

    /// Records where the instance's ports are bound (the host the scheduler chose).
    /// - Returns: the ports whose binding changed, and the NICs compute plugs.
    public static func bindInstancePorts(
        _ db: Database, instance uuid: String, host: String, now: Date
    ) throws -> (changed: [PortInfo], interfaces: [NetworkInterfaceSpec]) {
        var ports = try instancePorts(db, instance: uuid)
        var changed: [PortInfo] = []
        for i in ports.indices where ports[i].bindingHost != host {
            try db.execute(
                sql: "UPDATE ports SET binding_host = ?, revision_number = revision_number + 1, updated_at = ? WHERE id = ?",
                arguments: [host, now, ports[i].id])
            ports[i].bindingHost = host
            ports[i].revisionNumber += 1
            changed.append(ports[i])
        }
        for network in Set(changed.map(\.networkID)) { try bumpRevision(db, network: network, now: now) }
        return (changed, try interfaces(db, ports: ports))
    }

    /// The NICs compute plugs for the instance.
    public static func interfaces(_ db: Database, instance uuid: String) throws -> [NetworkInterfaceSpec] {
        try interfaces(db, ports: try instancePorts(db, instance: uuid))
    }

    static func interfaces(_ db: Database, ports: [PortInfo]) throws -> [NetworkInterfaceSpec] {
        guard !ports.isEmpty else { return [] }
        let networks = try NetworkRecord.filter(Set(ports.map(\.networkID)).contains(Column("id"))).fetchAll(db)
        let byID = Dictionary(networks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return ports.compactMap { port in
            guard let net = byID[port.networkID] else { return nil }
            return NetworkInterfaceSpec(
                portID: port.id, networkID: net.id, networkName: net.name, macAddress: port.macAddress,
                fixedIPs: port.fixedIPs.map(\.ipAddress), mtu: net.mtu, physicalNetwork: net.physicalNetwork, networkType: net.networkType)
        }
    }

    /// Nova's `addresses` of each instance: network name → its fixed IPs with MAC.
    public static func addresses(_ db: Database, instances uuids: [String]) throws -> [String: [(network: String, ip: String, mac: String)]] {
        guard !uuids.isEmpty else { return [:] }
        var out: [String: [(network: String, ip: String, mac: String)]] = [:]
        for chunk in stride(from: 0, to: uuids.count, by: 500) {
            let part = Array(uuids[chunk..<min(chunk + 500, uuids.count)])
            let marks = part.map { _ in "?" }.joined(separator: ",")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.device_id, n.name, a.ip_address, p.mac_address FROM ports p
                    JOIN networks n ON n.id = p.network_id JOIN ip_allocations a ON a.port_id = p.id
                    WHERE p.device_owner = 'compute:nova' AND p.device_id IN (\(marks))
                    ORDER BY p.created_at, p.id, a.ip_int
                    """,
                arguments: StatementArguments(part))
            for row in rows {
                out[row[0] as String, default: []].append((row[1], row[2], row[3]))
            }
        }
        return out
    }

    /// Bumps the metadata revision of the instances (the metadata proxy keeps the newest copy).
    public static func bumpMetadataRevision(_ db: Database, instances uuids: [String]) throws {
        for uuid in uuids {
            try db.execute(
                sql: """
                    INSERT INTO instance_metadata_revisions (instance_uuid, revision) VALUES (?, 1)
                    ON CONFLICT (instance_uuid) DO UPDATE SET revision = revision + 1
                    """,
                arguments: [uuid])
        }
    }
}
