import Foundation
import Hummingbird
import Messaging
import Schemas
import Storage

/// Neutron v2.0 under `/networking` (the catalog's URL) and `/network` (the older prefix): version documents,
/// `/v2.0/networks`; subnets and ports in ``SubnetRoutes`` and ``PortRoutes``.
public struct NetworkRoutes: Sendable {
    public let environment: APIEnvironment
    public static let prefixes = ["/network", "/networking"]

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    var database: ServiceDatabase { environment.database }

    public func register(on router: Router<APIRequestContext>) {
        let base = environment.configuration.publicURL
        for prefix in Self.prefixes {
            if prefix != "/network" {  // VersionRoutes serves GET /network
                router.get(RouterPath(prefix)) { _, _ in JSONResponse.make(NetworkViews.versions(baseURL: base + prefix)) }
            }
            router.get(RouterPath(prefix + "/v2.0")) { _, _ in JSONResponse.make(NetworkViews.resources(baseURL: base + prefix)) }
            let group = router.group(RouterPath(prefix + "/v2.0"))
            group.get("networks") { request, context in try await self.list(request, context) }
            group.get("networks/:id") { _, context in try await self.show(context) }
            group.post("networks") { request, context in try await self.create(request, context) }
            group.put("networks/:id") { request, context in try await self.update(request, context) }
            group.delete("networks/:id") { _, context in try await self.delete(context) }
            group.get("extensions") { _, _ in JSONResponse.make(["extensions": .array(NetworkViews.extensions.map(NetworkViews.extension))]) }
            group.get("extensions/:alias") { _, context in
                let alias = try context.parameters.require("alias")
                guard let e = NetworkViews.extensions.first(where: { $0.alias == alias }) else {
                    throw APIError.notFound("Extension with alias \(alias) does not exist", type: "HTTPNotFound")
                }
                return JSONResponse.make(["extension": NetworkViews.extension(e)])
            }
            SubnetRoutes(environment: environment).register(on: group)
            PortRoutes(environment: environment).register(on: group)
        }
    }

    func view(_ db: Database, _ rows: [NetworkRecord]) throws -> [JSONValue] {
        guard !rows.isEmpty else { return [] }
        var subnets: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT network_id, id FROM subnets ORDER BY created_at, id") {
            subnets[row[0], default: []].append(row[1])
        }
        return rows.map { NetworkViews.network($0, subnetIDs: subnets[$0.id] ?? []) }
    }

    func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let query = NeutronQuery(pairs: request.queryPairs)
        let views = try await database.read { db in
            try view(db, NetworkRecord.order(Column("created_at"), Column("id")).fetchAll(db).filter { $0.isVisible(to: auth) })
        }
        return JSONResponse.make(["networks": .array(views.filter(query.matches).map(query.project))])
    }

    func show(_ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        let v = try await database.read { db in try view(db, [try NetworkAccess.visible(db, id: id, auth: auth)]) }
        return JSONResponse.make(["network": v[0]])
    }

    func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let body = try NetworkRequest.create(try BodyFields.root(try await request.jsonBody(), key: "network"), auth: auth)
        let time = environment.now()
        let row = NetworkRecord(
            id: UUID().uuidString.lowercased(), name: body.name ?? "", projectID: body.projectID ?? auth.projectID,
            networkType: body.networkType ?? "flat", physicalNetwork: body.physicalNetwork, mtu: body.mtu ?? 1500,
            shared: body.shared ?? false, adminStateUp: body.adminStateUp ?? true, status: "ACTIVE",
            description: body.description ?? "", revisionNumber: 1, createdAt: time, updatedAt: time)
        let v = try await database.write { db in
            try row.insert(db)
            return try view(db, [row])[0]
        }
        context.logger.info("Network created", metadata: ["network.id": "\(row.id)", "network.name": "\(row.name)"])
        await environment.notifier.submit([.networkCreated(row.id)], context: auth.rpcContext(requestID: context.requestID))
        return JSONResponse.make(["network": v], status: .created)
    }

    func update(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        let body = try NetworkRequest.update(try BodyFields.root(try await request.jsonBody(), key: "network"), auth: auth)
        let time = environment.now()
        let (v, instances) = try await database.write { db -> (JSONValue, [String]) in
            var row = try NetworkAccess.owned(db, id: id, auth: auth)
            let renamed = body.name != nil && body.name != row.name
            if let name = body.name { row.name = name }
            if let up = body.adminStateUp { row.adminStateUp = up }
            if let shared = body.shared { row.shared = shared }
            if let mtu = body.mtu { row.mtu = mtu }
            if let d = body.description { row.description = d }
            row.revisionNumber += 1
            row.updatedAt = time
            try row.update(db)
            // The network name is part of each instance's metadata (and `addresses`).
            let instances = renamed
                ? try String.fetchAll(db, sql: "SELECT DISTINCT device_id FROM ports WHERE network_id = ? AND device_owner = ?", arguments: [id, DeviceOwner.compute])
                : []
            try NetworkStore.bumpMetadataRevision(db, instances: instances)
            return (try view(db, [row])[0], instances)
        }
        await environment.notifier.submit(
            [.networkUpdated(id)] + (instances.isEmpty ? [] : [.instancesChanged(instances)]), context: auth.rpcContext(requestID: context.requestID))
        return JSONResponse.make(["network": v])
    }

    func delete(_ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        try await database.write { db in
            _ = try NetworkAccess.owned(db, id: id, auth: auth)
            let inUse = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ports WHERE network_id = ? AND device_owner != ?", arguments: [id, DeviceOwner.dhcp]) ?? 0
            guard inUse == 0 else {
                throw APIError.conflict(
                    "Unable to complete operation on network \(id). There are one or more ports still in use on the network (\(inUse)); delete the servers or ports first.",
                    type: "NetworkInUse")
            }
            // DHCP ports, subnets and addresses go with it (ON DELETE CASCADE).
            _ = try NetworkRecord.deleteOne(db, key: id)
        }
        context.logger.info("Network deleted", metadata: ["network.id": "\(id)"])
        await environment.notifier.submit([.networkDeleted(id)], context: auth.rpcContext(requestID: context.requestID))
        return JSONResponse.empty(.noContent)
    }
}

/// Network look-ups with Neutron's visibility rules: invisible is 404, not 403.
enum NetworkAccess {
    static func visible(_ db: Database, id: String, auth: AuthContext) throws -> NetworkRecord {
        guard let row = try NetworkRecord.fetchOne(db, key: id), row.isVisible(to: auth) else {
            throw APIError.notFound("Network \(id) could not be found.", type: "NetworkNotFound")
        }
        return row
    }

    /// Visible and changeable by `auth` (its project's, or an admin).
    static func owned(_ db: Database, id: String, auth: AuthContext) throws -> NetworkRecord {
        let row = try visible(db, id: id, auth: auth)
        guard auth.isAdmin || row.projectID == auth.projectID else {
            throw APIError.forbidden("Network \(id) is shared from another project; only its owner or an admin may change it.")
        }
        return row
    }
}

extension Request {
    /// Every query parameter in order, repeated keys included (Neutron filters repeat).
    public var queryPairs: [(String, String)] {
        uri.queryParameters.map { (String($0.key), String($0.value)) }
    }
}
