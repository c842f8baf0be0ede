import Foundation
import Schemas
import Storage

/// What a new port should be; addresses are chosen by ``PortAllocator``.
public struct PortRequest: Sendable, Equatable {
    /// One requested address: a subnet, an address, or both (Neutron's `fixed_ips` item).
    public struct FixedIPRequest: Sendable, Equatable {
        public var subnetID: String?
        public var ipAddress: String?
        public init(subnetID: String? = nil, ipAddress: String? = nil) {
            self.subnetID = subnetID
            self.ipAddress = ipAddress
        }
    }

    public var id: String = UUID().uuidString.lowercased()
    public var networkID: String
    public var name: String = ""
    public var projectID: String
    public var macAddress: String?
    /// nil: one address from the first subnet with a free one; empty: no address.
    public var fixedIPs: [FixedIPRequest]?
    public var deviceID: String = ""
    public var deviceOwner: String = ""
    public var bindingHost: String?
    public var status: String = "DOWN"
    public var adminStateUp: Bool = true
    public var dnsName: String?
    public var description: String = ""

    public init(networkID: String, projectID: String) {
        self.networkID = networkID
        self.projectID = projectID
    }
}

/// Creates ports inside one write transaction: picks MACs and addresses (through ``IPAM``)
/// and inserts them. Caches each subnet's used addresses for the transaction, so a
/// multi-create reads them once. Not thread-safe: one per transaction.
public struct PortAllocator {
    var subnetsByNetwork: [String: [SubnetRecord]] = [:]
    var used: [String: Set<UInt32>] = [:]
    var macs: Set<String> = []

    public init() {}

    mutating func subnets(_ db: Database, network: String) throws -> [SubnetRecord] {
        if let cached = subnetsByNetwork[network] { return cached }
        let rows = try SubnetRecord.filter(Column("network_id") == network).order(Column("created_at"), Column("id")).fetchAll(db)
        subnetsByNetwork[network] = rows
        return rows
    }

    mutating func usedAddresses(_ db: Database, subnet: String) throws -> Set<UInt32> {
        if let cached = used[subnet] { return cached }
        let rows = try Int64.fetchAll(db, sql: "SELECT ip_int FROM ip_allocations WHERE subnet_id = ?", arguments: [subnet])
        let set = Set(rows.map { UInt32(truncatingIfNeeded: $0) })
        used[subnet] = set
        return set
    }

    /// A random unused `fa:16:3e:xx:xx:xx` (Neutron's base MAC), retried on collision.
    mutating func newMAC(_ db: Database) throws -> String {
        for _ in 0..<32 {
            let mac = "fa:16:3e:" + (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined(separator: ":")
            if macs.contains(mac) { continue }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM ports WHERE mac_address = ?", arguments: [mac]) == true { continue }
            macs.insert(mac)
            return mac
        }
        throw APIError(.serviceUnavailable, "Unable to generate a unique MAC address; try again.", type: "MacAddressGenerationFailure")
    }

    /// The addresses for `request` on its network's subnets.
    mutating func chooseAddresses(_ db: Database, _ request: PortRequest, portID: String) throws -> [IPAllocationRecord] {
        let subnets = try subnets(db, network: request.networkID)
        let ipv4 = subnets.filter { $0.ipVersion == 4 }
        func record(_ subnet: SubnetRecord, _ address: UInt32) -> IPAllocationRecord {
            used[subnet.id, default: []].insert(address)
            return IPAllocationRecord(portID: portID, networkID: request.networkID, subnetID: subnet.id, address: address)
        }
        guard let wanted = request.fixedIPs else {
            guard !ipv4.isEmpty else { return [] }
            for subnet in ipv4 {
                guard let ipam = subnet.ipam else { continue }
                if let next = ipam.nextFree(excluding: try usedAddresses(db, subnet: subnet.id)) { return [record(subnet, next)] }
            }
            throw IPAMError.exhausted(subnetID: ipv4.map(\.id).joined(separator: ", ")).apiError
        }
        var out: [IPAllocationRecord] = []
        for item in wanted {
            var subnet = item.subnetID.flatMap { id in subnets.first { $0.id == id } }
            if let id = item.subnetID, subnet == nil {
                throw APIError.badRequest("Subnet \(id) is not a subnet of network \(request.networkID); use one from 'openstack subnet list --network \(request.networkID)'.", type: "InvalidInput")
            }
            var address: UInt32?
            if let text = item.ipAddress {
                guard let a = IPv4.parse(text) else {
                    throw APIError.badRequest("Invalid input for operation: '\(text)' is not an IPv4 address.", type: "InvalidInput")
                }
                address = a
                if subnet == nil {
                    subnet = subnets.first { IPv4Network(cidr: $0.cidr)?.contains(a) == true }
                    guard subnet != nil else {
                        throw APIError.badRequest("IP address \(text) is not in any subnet of network \(request.networkID).", type: "InvalidIpForNetwork")
                    }
                }
            }
            guard let subnet, let ipam = subnet.ipam else {
                throw APIError.badRequest("Each fixed_ips item needs a subnet_id or an ip_address.", type: "InvalidInput")
            }
            let inUse = try usedAddresses(db, subnet: subnet.id)
            if let address {
                do { try ipam.validateExplicit(address, used: inUse, subnetID: subnet.id) } catch { throw error.apiError }
                out.append(record(subnet, address))
            } else {
                guard let next = ipam.nextFree(excluding: inUse) else { throw IPAMError.exhausted(subnetID: subnet.id).apiError }
                out.append(record(subnet, next))
            }
        }
        return out
    }

    /// Replaces the port's addresses with `wanted` (Neutron's `PUT fixed_ips`): requested
    /// addresses it already has are kept, the others are allocated, the rest released.
    /// - Returns: the port's fixed IPs afterwards.
    public mutating func replaceAddresses(_ db: Database, port: PortRecord, wanted: [PortRequest.FixedIPRequest]) throws -> [FixedIP] {
        let current = try IPAllocationRecord.filter(Column("port_id") == port.id).fetchAll(db)
        var keep: [IPAllocationRecord] = []
        var fresh: [PortRequest.FixedIPRequest] = []
        for item in wanted {
            if let ip = item.ipAddress, let have = current.first(where: { $0.ipAddress == ip && (item.subnetID == nil || item.subnetID == $0.subnetID) }) {
                keep.append(have)
            } else {
                fresh.append(item)
            }
        }
        var request = PortRequest(networkID: port.networkID, projectID: port.projectID)
        request.fixedIPs = fresh
        let added = try chooseAddresses(db, request, portID: port.id)
        let kept = Set(keep.map { "\($0.subnetID) \($0.ipAddress)" })
        for old in current where !kept.contains("\(old.subnetID) \(old.ipAddress)") {
            try db.execute(sql: "DELETE FROM ip_allocations WHERE subnet_id = ? AND ip_address = ?", arguments: [old.subnetID, old.ipAddress])
            used[old.subnetID]?.remove(UInt32(truncatingIfNeeded: old.ipInt))
        }
        for a in added { try a.insert(db) }
        return (keep + added).sorted { $0.ipInt < $1.ipInt }.map(\.fixedIP)
    }

    /// Inserts the port and its addresses; returns it.
    public mutating func create(_ db: Database, _ request: PortRequest, now: Date) throws -> PortInfo {
        var mac = request.macAddress
        if let m = mac {
            guard MACAddress.isValid(m) else {
                throw APIError.badRequest("Invalid input for mac_address: '\(m)' is not a MAC address like fa:16:3e:12:34:56.", type: "InvalidInput")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM ports WHERE mac_address = ?", arguments: [m.lowercased()]) == true {
                throw APIError.conflict("Unable to complete operation for network \(request.networkID). The mac address \(m) is in use.", type: "MacAddressInUse")
            }
            mac = m.lowercased()
        } else {
            mac = try newMAC(db)
        }
        let allocations = try chooseAddresses(db, request, portID: request.id)
        let port = PortRecord(
            id: request.id, networkID: request.networkID, name: request.name, projectID: request.projectID, macAddress: mac!,
            deviceID: request.deviceID, deviceOwner: request.deviceOwner, bindingHost: request.bindingHost, status: request.status,
            adminStateUp: request.adminStateUp, dnsName: request.dnsName, description: request.description, revisionNumber: 1,
            createdAt: now, updatedAt: now)
        try port.insert(db)
        for a in allocations { try a.insert(db) }
        try NetworkStore.bumpRevision(db, network: request.networkID, now: now)
        return port.info(allocations.map(\.fixedIP))
    }
}

/// MAC address syntax. Pure.
public enum MACAddress {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
    }
}
