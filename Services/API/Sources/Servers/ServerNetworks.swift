import Foundation
import Messaging
import Schemas
import Storage

/// The `networks` of a `POST /servers` body (Nova semantics). Parsing is pure;
/// ``allocatePorts(_:_:instance:hostname:auth:allocator:now:)`` runs in the create transaction.
public enum ServerNetworks: Sendable, Equatable {
    /// One requested NIC: a network (optionally with a fixed IP) or an existing port.
    public struct NIC: Sendable, Equatable {
        public var networkID: String?
        public var fixedIP: String?
        public var portID: String?
    }

    /// No `networks` key: the only visible network if there is exactly one, none if there is none.
    case unspecified
    /// `"auto"`: the only visible network; an error when there are none or several.
    case auto
    /// `"none"`: no NIC.
    case none
    case list([NIC])

    public static func parse(_ value: JSONValue?, maxCount: Int) throws -> ServerNetworks {
        switch value {
        case nil, .null?: return .unspecified
        case .string("auto")?: return .auto
        case .string("none")?: return .none
        case .array(let items)?:
            let nics = try items.map { item -> NIC in
                guard case .object = item else { throw bad("each item must be an object with 'uuid' or 'port'") }
                let nic = NIC(networkID: item["uuid"]?.stringValue, fixedIP: item["fixed_ip"]?.stringValue, portID: item["port"]?.stringValue)
                guard nic.networkID != nil || nic.portID != nil else { throw bad("each item needs a network 'uuid' or a 'port'") }
                if let ip = nic.fixedIP, IPv4.parse(ip) == nil { throw bad("fixed_ip '\(ip)' is not an IPv4 address") }
                if maxCount > 1, nic.portID != nil {
                    throw APIError.badRequest("Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports.")
                }
                if maxCount > 1, nic.fixedIP != nil {
                    throw APIError.badRequest("Unable to launch multiple instances with a single configured fixed IP; boot them one by one.")
                }
                return nic
            }
            let ports = nics.compactMap(\.portID)
            guard Set(ports).count == ports.count else { throw bad("a port may be given only once") }
            return .list(nics)
        default:
            throw bad("expected a list of {\"uuid\": …} / {\"port\": …}, or \"auto\" or \"none\"")
        }
    }

    static func bad(_ detail: String) -> APIError {
        APIError.badRequest("Invalid input for field/attribute networks: \(detail).")
    }

    /// The concrete NICs for `auth`'s project; reads the visible networks for auto/unspecified.
    public func resolve(_ db: Database, auth: AuthContext) throws -> [NIC] {
        switch self {
        case .none: return []
        case .list(let nics): return nics
        case .unspecified, .auto:
            let visible = try String.fetchAll(
                db, sql: "SELECT id FROM networks WHERE project_id = ? OR shared = 1 ORDER BY created_at, id", arguments: [auth.projectID])
            if visible.count == 1 { return [NIC(networkID: visible[0])] }
            if visible.count > 1 {
                throw APIError.conflict("Multiple possible networks found, use a Network ID to be more specific (give 'networks': [{\"uuid\": …}]).")
            }
            if self == .auto {
                throw APIError.badRequest("Unable to automatically allocate a network for project \(auth.projectID): no network is visible to it; create one or boot with 'networks': 'none'.")
            }
            return []
        }
    }

    /// Creates (or claims) the instance's ports inside the create transaction; errors are
    /// Nova's (400 unknown network or port, 409 port in use or addresses exhausted).
    public static func allocatePorts(
        _ db: Database, _ nics: [NIC], instance uuid: String, hostname: String, auth: AuthContext, allocator: inout PortAllocator, now: Date
    ) throws -> [PortInfo] {
        var out: [PortInfo] = []
        for nic in nics {
            if let portID = nic.portID {
                guard var row = try PortRecord.fetchOne(db, key: portID), auth.isAdmin || row.projectID == auth.projectID else {
                    throw APIError.badRequest("Port id \(portID) could not be found.")
                }
                guard row.deviceID.isEmpty else { throw APIError.conflict("Port \(portID) is still in use (by \(row.deviceOwner) \(row.deviceID)).") }
                row.deviceID = uuid
                row.deviceOwner = DeviceOwner.compute
                row.dnsName = row.dnsName ?? hostname
                row.revisionNumber += 1
                row.updatedAt = now
                try row.update(db)
                out.append(try NetworkStore.portInfos(db, [row])[0])
                continue
            }
            let networkID = nic.networkID ?? ""
            guard let network = try NetworkRecord.fetchOne(db, key: networkID), network.isVisible(to: auth) else {
                throw APIError.badRequest("Network \(networkID) could not be found; use an id from 'openstack network list'.")
            }
            var request = PortRequest(networkID: network.id, projectID: auth.projectID)
            request.deviceID = uuid
            request.deviceOwner = DeviceOwner.compute
            request.dnsName = hostname
            request.fixedIPs = nic.fixedIP.map { [PortRequest.FixedIPRequest(ipAddress: $0)] }
            do {
                out.append(try allocator.create(db, request, now: now))
            } catch let error as APIError where error.type == "IpAddressGenerationFailure" {
                throw APIError.conflict("No more IP addresses available on network \(network.name) (\(network.id)): \(error.message)")
            } catch let error as APIError where error.status == .conflict || error.status == .badRequest {
                throw APIError(error.status, "Cannot allocate a port on network \(network.name) (\(network.id)): \(error.message)")
            }
        }
        return out
    }
}
