import Foundation
import Logging
import Messaging
import Schemas
import Storage

/// The DHCP agents' and compute's networking calls of ``ConductorAPI`` 1.2 (Neutron's
/// `DhcpPluginApi` and port status updates).
extension ConductorManager {
    func registerNetworking(_ e: inout RPCEndpoint) {
        e.register("get_active_networks_info") { (_, args: GetActiveNetworksArguments) in
            GetActiveNetworksResult(networks: try await self.activeNetworks(host: args.host))
        }
        e.register("get_network_info") { (_, args: GetNetworkInfoArguments) in
            GetNetworkInfoResult(network: try await self.database.read { db in try NetworkStore.info(db, network: args.networkID, withPorts: true) })
        }
        e.register("create_dhcp_port") { (req, args: DHCPPortArguments) in
            DHCPPortResult(port: try await self.createDHCPPort(host: args.host, networkID: args.networkID, context: req.context, logger: req.logger))
        }
        e.register("release_dhcp_port") { (req, args: DHCPPortArguments) in
            try await self.releaseDHCPPort(host: args.host, networkID: args.networkID, context: req.context, logger: req.logger)
            return EmptyResult()
        }
        e.register("update_port_status") { (req, args: UpdatePortStatusArguments) in
            try await self.updatePortStatus(args, context: req.context, logger: req.logger)
        }
        registerMetadata(&e)
    }

    /// Every admin-up network with a DHCP-enabled subnet, with subnets and all ports: every
    /// DHCP agent hosts every such network.
    public func activeNetworks(host: String) async throws -> [NetworkInfo] {
        try await database.read { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT n.id FROM networks n WHERE n.admin_state_up = 1
                    AND EXISTS (SELECT 1 FROM subnets s WHERE s.network_id = n.id AND s.enable_dhcp = 1) ORDER BY n.created_at, n.id
                    """)
            return try ids.compactMap { try NetworkStore.info(db, network: $0, withPorts: true) }
        }
    }

    /// `dhcp<uuid5(DNS, host)>-<network id>` (Neutron's DHCP port device id).
    public static func dhcpDeviceID(host: String, networkID: String) -> String {
        "dhcp\(UUIDv5.make(name: host))-\(networkID)"
    }

    /// The DHCP port of the agent on `host`: created with the first free address of each
    /// DHCP-enabled subnet, or the existing one (given an address in subnets it lacks).
    public func createDHCPPort(host: String, networkID: String, context: Messaging.RequestContext, logger: Logger) async throws -> PortInfo {
        guard !host.isEmpty, host.count <= 255 else { throw InvalidArguments(remoteMessage: "create_dhcp_port needs a host (1-255 chars)") }
        let deviceID = Self.dhcpDeviceID(host: host, networkID: networkID)
        let time = now()
        let (port, created, changed) = try await database.write { db -> (PortInfo, Bool, Bool) in
            guard let network = try NetworkRecord.fetchOne(db, key: networkID) else {
                throw InvalidArguments(remoteMessage: "Network \(networkID) could not be found; the agent should drop it (resync).")
            }
            let dhcpSubnets = try NetworkStore.subnets(db, network: networkID).filter { $0.enableDHCP && $0.ipVersion == 4 }
            var allocator = PortAllocator()
            if let existing = try PortRecord.filter(Column("device_id") == deviceID && Column("network_id") == networkID).fetchOne(db),
                let info = try NetworkStore.portInfos(db, [existing]).first
            {
                let have = Set(info.fixedIPs.map(\.subnetID))
                var added = false
                for subnet in dhcpSubnets where !have.contains(subnet.id) {
                    guard let ipam = subnet.ipam, let next = ipam.nextFree(excluding: try allocator.usedAddresses(db, subnet: subnet.id)) else { continue }
                    try IPAllocationRecord(portID: existing.id, networkID: networkID, subnetID: subnet.id, address: next).insert(db)
                    added = true
                }
                if added {
                    try db.execute(sql: "UPDATE ports SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?", arguments: [time, existing.id])
                    try NetworkStore.bumpRevision(db, network: networkID, now: time)
                }
                return (try NetworkStore.port(db, id: existing.id)!, false, added)
            }
            var request = PortRequest(networkID: networkID, projectID: network.projectID)
            request.fixedIPs = dhcpSubnets.map { PortRequest.FixedIPRequest(subnetID: $0.id) }
            request.deviceID = deviceID
            request.deviceOwner = DeviceOwner.dhcp
            request.bindingHost = host
            request.status = "ACTIVE"
            do {
                return (try allocator.create(db, request, now: time), true, true)
            } catch let error as APIError {
                throw InvalidArguments(remoteMessage: "Cannot create the DHCP port of \(host) on network \(networkID): \(error.message)")
            }
        }
        if changed {
            logger.info(created ? "DHCP port created" : "DHCP port given new addresses", metadata: ["port.id": "\(port.id)", "network.id": "\(networkID)", "host": "\(host)"])
            await notifier.submit([created ? .portCreated(port) : .portUpdated(port)], context: context)
        }
        return port
    }

    /// Deletes the DHCP port of `host` on the network, if any.
    public func releaseDHCPPort(host: String, networkID: String, context: Messaging.RequestContext, logger: Logger) async throws {
        let deviceID = Self.dhcpDeviceID(host: host, networkID: networkID)
        let time = now()
        let removed = try await database.write { db -> [PortInfo] in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM ports WHERE device_id = ? AND network_id = ?", arguments: [deviceID, networkID])
            return try ids.compactMap { try NetworkStore.deletePort(db, id: $0, now: time) }
        }
        for port in removed { logger.info("DHCP port released", metadata: ["port.id": "\(port.id)", "host": "\(host)"]) }
        await notifier.submit(removed.map { .portDeleted($0) }, context: context)
    }

    /// Compute plugged (`ACTIVE`) or unplugged (`DOWN`) a port. Idempotent; unknown ports are ignored.
    public func updatePortStatus(_ args: UpdatePortStatusArguments, context: Messaging.RequestContext, logger: Logger) async throws {
        let status = args.status.uppercased()
        guard status == "ACTIVE" || status == "DOWN" else {
            throw InvalidArguments(remoteMessage: "update_port_status: status must be ACTIVE or DOWN, got '\(args.status)'")
        }
        let time = now()
        let updated = try await database.write { db -> PortInfo? in
            guard var row = try PortRecord.fetchOne(db, key: args.portID), row.status != status else { return nil }
            row.status = status
            if row.bindingHost == nil, !args.host.isEmpty { row.bindingHost = args.host }
            row.revisionNumber += 1
            row.updatedAt = time
            try row.update(db)
            try NetworkStore.bumpRevision(db, network: row.networkID, now: time)
            return try NetworkStore.portInfos(db, [row]).first
        }
        guard let updated else { return }
        logger.info("Port status updated", metadata: ["port.id": "\(args.portID)", "status": "\(status)", "host": "\(args.host)"])
        await notifier.submit([.portUpdated(updated)], context: context)
    }
}
