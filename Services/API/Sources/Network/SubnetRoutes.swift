import Foundation
import Hummingbird
import Messaging
import Schemas
import Storage

/// `/v2.0/subnets`: IPv4 subnets of flat networks, with Neutron's default gateway and pools.
public struct SubnetRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    var database: ServiceDatabase { environment.database }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.get("subnets") { request, context in try await self.list(request, context) }
        group.get("subnets/:id") { _, context in try await self.show(context) }
        group.post("subnets") { request, context in try await self.create(request, context) }
        group.put("subnets/:id") { request, context in try await self.update(request, context) }
        group.delete("subnets/:id") { _, context in try await self.delete(context) }
    }

    static func find(_ db: Database, id: String, auth: AuthContext) throws -> (SubnetRecord, NetworkRecord) {
        guard let subnet = try SubnetRecord.fetchOne(db, key: id), let network = try NetworkRecord.fetchOne(db, key: subnet.networkID),
            network.isVisible(to: auth)
        else { throw APIError.notFound("Subnet \(id) could not be found.", type: "SubnetNotFound") }
        return (subnet, network)
    }

    static func mayChange(_ network: NetworkRecord, _ auth: AuthContext) throws {
        guard auth.isAdmin || network.projectID == auth.projectID else {
            throw APIError.forbidden("Network \(network.id) belongs to another project; only its owner or an admin may change its subnets.")
        }
    }

    func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let query = NeutronQuery(pairs: request.queryPairs)
        let views = try await database.read { db -> [JSONValue] in
            let visible = Set(try NetworkRecord.fetchAll(db).filter { $0.isVisible(to: auth) }.map(\.id))
            var q = SubnetRecord.order(Column("created_at"), Column("id"))
            if let n = query.filters["network_id"], n.count == 1 { q = q.filter(Column("network_id") == n[0]) }
            return try q.fetchAll(db).filter { visible.contains($0.networkID) }.map(NetworkViews.subnet)
        }
        return JSONResponse.make(["subnets": .array(views.filter(query.matches).map(query.project))])
    }

    func show(_ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        let (subnet, _) = try await database.read { db in try Self.find(db, id: id, auth: auth) }
        return JSONResponse.make(["subnet": NetworkViews.subnet(subnet)])
    }

    func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let body = try SubnetRequest.parse(try BodyFields.root(try await request.jsonBody(), key: "subnet"), creating: true)
        let addressing = try SubnetPlan.addressing(cidr: body.cidr ?? "", gateway: body.gateway, pools: body.pools)
        let time = environment.now()
        let subnet = try await database.write { db -> SubnetRecord in
            let network = try NetworkAccess.visible(db, id: body.networkID ?? "", auth: auth)
            try Self.mayChange(network, auth)
            let new = IPv4Network(cidr: addressing.cidr)!
            for other in try NetworkStore.subnets(db, network: network.id) where IPv4Network(cidr: other.cidr)?.overlaps(new) == true {
                throw APIError.badRequest(
                    "Invalid input for operation: Requested subnet with cidr: \(addressing.cidr) for network: \(network.id) overlaps with subnet \(other.id) (\(other.cidr)).",
                    type: "InvalidInput")
            }
            let row = SubnetRecord(
                id: UUID().uuidString.lowercased(), networkID: network.id, name: body.name ?? "", projectID: body.projectID ?? network.projectID,
                ipVersion: 4, cidr: addressing.cidr, gatewayIP: addressing.gatewayIP, allocationPools: addressing.pools,
                dnsNameservers: body.dnsNameservers ?? [], hostRoutes: body.hostRoutes ?? [], enableDHCP: body.enableDHCP ?? true,
                description: body.description ?? "", revisionNumber: 1, createdAt: time, updatedAt: time)
            try row.insert(db)
            try NetworkStore.bumpRevision(db, network: network.id, now: time)
            return row
        }
        context.logger.info("Subnet created", metadata: ["subnet.id": "\(subnet.id)", "network.id": "\(subnet.networkID)", "cidr": "\(subnet.cidr)"])
        await environment.notifier.submit([.subnetCreated(subnet.info)], context: auth.rpcContext(requestID: context.requestID))
        return JSONResponse.make(["subnet": NetworkViews.subnet(subnet)], status: .created)
    }

    func update(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        let body = try SubnetRequest.parse(try BodyFields.root(try await request.jsonBody(), key: "subnet"), creating: false)
        let time = environment.now()
        let subnet = try await database.write { db -> SubnetRecord in
            var (row, network) = try Self.find(db, id: id, auth: auth)
            try Self.mayChange(network, auth)
            if body.gateway != .defaulted || body.pools != nil {
                let gateway: SubnetPlan.GatewayChoice = body.gateway != .defaulted ? body.gateway : row.gatewayIP.map { .address($0) } ?? .none
                let addressing = try SubnetPlan.addressing(cidr: row.cidr, gateway: gateway, pools: body.pools ?? row.allocationPools)
                if let g = addressing.gatewayIP, g != row.gatewayIP,
                    try Bool.fetchOne(db, sql: "SELECT 1 FROM ip_allocations WHERE subnet_id = ? AND ip_address = ?", arguments: [id, g]) == true
                {
                    throw APIError.conflict("Gateway ip \(g) conflicts with an address already allocated to a port on subnet \(id).", type: "GatewayIpInUse")
                }
                row.gatewayIP = addressing.gatewayIP
                row.allocationPools = addressing.pools
            }
            if let name = body.name { row.name = name }
            if let d = body.description { row.description = d }
            if let dns = body.dnsNameservers { row.dnsNameservers = dns }
            if let routes = body.hostRoutes { row.hostRoutes = routes }
            if let dhcp = body.enableDHCP { row.enableDHCP = dhcp }
            row.revisionNumber += 1
            row.updatedAt = time
            try row.update(db)
            try NetworkStore.bumpRevision(db, network: network.id, now: time)
            return row
        }
        await environment.notifier.submit([.subnetUpdated(subnet.info)], context: auth.rpcContext(requestID: context.requestID))
        return JSONResponse.make(["subnet": NetworkViews.subnet(subnet)])
    }

    func delete(_ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        let time = environment.now()
        let (networkID, dhcpPorts) = try await database.write { db -> (String, [PortInfo]) in
            let (_, network) = try Self.find(db, id: id, auth: auth)
            try Self.mayChange(network, auth)
            let inUse = try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM ip_allocations a JOIN ports p ON p.id = a.port_id WHERE a.subnet_id = ? AND p.device_owner != ?",
                arguments: [id, DeviceOwner.dhcp]) ?? 0
            guard inUse == 0 else {
                throw APIError.conflict(
                    "Unable to complete operation on subnet \(id): One or more ports have an IP allocation from this subnet (\(inUse)); delete them first.",
                    type: "SubnetInUse")
            }
            let dhcp = try String.fetchAll(db, sql: "SELECT DISTINCT port_id FROM ip_allocations WHERE subnet_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM ip_allocations WHERE subnet_id = ?", arguments: [id])
            try db.execute(sql: "UPDATE ports SET revision_number = revision_number + 1, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))", arguments: [time, JSONValue.array(dhcp.map { .string($0) }).serialized()])
            _ = try SubnetRecord.deleteOne(db, key: id)
            try NetworkStore.bumpRevision(db, network: network.id, now: time)
            return (network.id, try dhcp.compactMap { try NetworkStore.port(db, id: $0) })
        }
        context.logger.info("Subnet deleted", metadata: ["subnet.id": "\(id)", "network.id": "\(networkID)"])
        await environment.notifier.submit(
            [.subnetDeleted(subnetID: id, networkID: networkID)] + dhcpPorts.map { .portUpdated($0) }, context: auth.rpcContext(requestID: context.requestID))
        return JSONResponse.empty(.noContent)
    }
}
