import Foundation
import Hummingbird
import Messaging
import Schemas
import Storage

/// `/servers`: create (202, work continues in the background), list, detail, show, rename.
public struct ServerRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    var baseURL: String { environment.configuration.publicURL }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.get("servers") { request, context in try await self.list(request, context, detail: false) }
        group.get("servers/detail") { request, context in try await self.list(request, context, detail: true) }
        group.get("servers/:id") { _, context in
            let auth = try context.caller()
            let (instance, fault) = try await ServerLookup.find(context, environment.database)
            let addresses = try await environment.database.read { db in try NetworkStore.addresses(db, instances: [instance.uuid]) }
            return JSONResponse.make([
                "server": ServerView.detail(instance, fault: fault, baseURL: baseURL, isAdmin: auth.isAdmin, addresses: addresses[instance.uuid] ?? [])
            ])
        }
        group.post("servers") { request, context in try await self.create(request, context) }
        group.put("servers/:id") { request, context in try await self.rename(request, context) }
    }

    /// `PUT /servers/{id}` `{"server": {"name": …}}` (the hostname stays, as in Nova).
    func rename(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let server = try BodyFields.root(try await request.jsonBody(), key: "server")
        let name = try server.string("name")
        if let name, name.isEmpty || name.count > 255 || name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw APIError.badRequest("Invalid input for field/attribute name: the server name must be 1-255 characters and not only spaces.")
        }
        let (found, _) = try await ServerLookup.find(context, environment.database)
        let time = environment.now()
        let (row, fault, addresses, hasPorts) = try await environment.database.write { db in
            guard var row = try InstanceStore.live(db, uuid: found.uuid) else { throw APIError.notFound("Instance \(found.uuid) could not be found.") }
            let hasPorts = !(try NetworkStore.instancePorts(db, instance: row.uuid)).isEmpty
            if let name, name != row.name {
                row.name = name
                row.updatedAt = time
                try row.update(db)
                if hasPorts { try NetworkStore.bumpMetadataRevision(db, instances: [row.uuid]) }
            }
            let fault = try InstanceStore.latestFaults(db, uuids: [row.uuid])[row.uuid]
            return (row, fault, try NetworkStore.addresses(db, instances: [row.uuid])[row.uuid] ?? [], hasPorts)
        }
        if hasPorts, name != nil, name != found.name {
            await environment.notifier.submit([.instancesChanged([row.uuid])], context: auth.rpcContext(requestID: context.requestID))
        }
        return JSONResponse.make(["server": ServerView.detail(row, fault: fault, baseURL: baseURL, isAdmin: auth.isAdmin, addresses: addresses)])
    }

    func list(_ request: Request, _ context: APIRequestContext, detail: Bool) async throws -> Response {
        let auth = try context.caller()
        let filter = try ServerListFilter(query: request.query, isAdmin: auth.isAdmin)
        let (instances, faults) = try await environment.database.read { db in
            var q = InstanceRecord.filter(Column("deleted") == filter.deleted)
            if let project = filter.projectID {
                q = q.filter(Column("project_id") == project)
            } else if !filter.allTenants {
                q = q.filter(Column("project_id") == auth.projectID)
            }
            if let host = filter.host { q = q.filter(Column("host") == host) }
            let rows = try q.order(Column("id").desc).fetchAll(db).filter(filter.matches).prefix(filter.limit)
            let faults = detail ? try InstanceStore.latestFaults(db, uuids: rows.filter { $0.vmState == .error }.map(\.uuid)) : [:]
            let addresses = detail ? try NetworkStore.addresses(db, instances: rows.map(\.uuid)) : [:]
            return (Array(rows), (faults, addresses))
        }
        let (faultsByUUID, addresses) = faults
        let items: [JSONValue] = instances.map {
            detail
                ? ServerView.detail($0, fault: faultsByUUID[$0.uuid], baseURL: baseURL, isAdmin: auth.isAdmin, addresses: addresses[$0.uuid] ?? [])
                : ServerView.summary($0, baseURL: baseURL)
        }
        return JSONResponse.make(["servers": .array(items)])
    }

    func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let body = try ServerCreateRequest.parse(try await request.jsonBody())
        let time = environment.now()
        let requestID = context.requestID
        let (flavor, image, key) = try await environment.database.read { db in
            guard let flavor = try FlavorRecord.fetchOne(db, key: body.flavorRef) else {
                throw APIError.badRequest("Flavor \(body.flavorRef) could not be found; use an id from 'openstack flavor list'.")
            }
            guard let image = try ImageRecord.fetchOne(db, key: body.imageRef), image.isVisible(to: auth) else {
                throw APIError.badRequest("Image \(body.imageRef) could not be found; use an id from 'openstack image list'.")
            }
            var key: KeypairRecord?
            if let name = body.keyName {
                key = try KeypairRecord.filter(Column("user_id") == auth.userID && Column("name") == name).fetchOne(db)
                guard key != nil else { throw APIError.badRequest("Invalid key_name provided: keypair '\(name)' does not exist for this user.") }
            }
            return (flavor, image, key)
        }
        try ServerPlacementCheck.validate(flavor: flavor, image: image)
        let spec = RequestSpec(projectID: auth.projectID, flavor: flavor.spec, image: image.spec, availabilityZone: body.availabilityZone)
        let names = body.names(count: body.maxCount)
        let rows: [InstanceRecord] = names.enumerated().map { index, name in
            InstanceRecord(
                id: nil, uuid: UUID().uuidString.lowercased(), name: name, hostname: ServerCreateRequest.hostname(for: name),
                projectID: auth.projectID, userID: auth.userID, flavor: flavor.spec, image: image.spec, keyName: key?.name,
                keyData: key?.publicKey, userData: body.userData, availabilityZone: body.availabilityZone,
                metadata: body.metadata, launchIndex: index, host: nil, node: nil, vmState: .building, taskState: .scheduling,
                powerState: .noState, createRequestID: requestID, requestSpec: spec, launchedAt: nil, createdAt: time,
                updatedAt: time, deletedAt: nil, deleted: false)
        }
        let networks = body.networks
        let (created, ports) = try await environment.database.write { db -> ([InstanceRecord], [PortInfo]) in
            // Ports are made in the same transaction: an error leaves nothing behind.
            let nics = try networks.resolve(db, auth: auth)
            var allocator = PortAllocator()
            var ports: [PortInfo] = []
            let created = try rows.map { row -> InstanceRecord in
                var r = row
                try r.insert(db)
                r.id = db.lastInsertedRowID  // PersistableRecord's didInsert runs on a copy
                try InstanceStore.recordAction(
                    db, uuid: r.uuid, requestID: requestID, action: "create", userID: auth.userID, projectID: auth.projectID, now: time)
                ports += try ServerNetworks.allocatePorts(db, nics, instance: r.uuid, hostname: r.hostname, auth: auth, allocator: &allocator, now: time)
                return r
            }
            try NetworkStore.bumpMetadataRevision(db, instances: Array(Set(ports.map(\.deviceID))))
            return (created, ports)
        }
        context.logger.info("Servers accepted", metadata: ["instance.id": "\(created[0].uuid)", "instance.count": "\(created.count)", "port.count": "\(ports.count)"])
        let rpcContext = auth.rpcContext(requestID: requestID)
        // Metadata proxies only serve instances with a port (port events carry their instance).
        await environment.notifier.submit(ports.map { .portCreated($0) }, context: rpcContext)
        await environment.boot.submit(BootJob(instanceUUIDs: created.map(\.uuid), spec: spec, context: auth.rpcContext(requestID: requestID), created: created))
        return JSONResponse.make(["server": ServerView.created(created[0], baseURL: baseURL)], status: .accepted)
    }
}

/// Flavor-versus-image checks Nova makes before accepting a boot. Pure.
public enum ServerPlacementCheck {
    public static func validate(flavor: FlavorRecord, image: ImageRecord) throws {
        guard image.status == "active" else {
            throw APIError.badRequest("Image \(image.id) is not active (status \(image.status)); upload its data first.")
        }
        guard flavor.memoryMB >= image.minRAM else {
            throw APIError.badRequest("Flavor's memory is too small for requested image: \(flavor.name) has \(flavor.memoryMB) MB, the image needs \(image.minRAM) MB.")
        }
        if flavor.rootGB > 0 {
            guard flavor.rootGB >= image.minDisk else {
                throw APIError.badRequest("Flavor's disk is too small for requested image: \(flavor.name) has \(flavor.rootGB) GB, the image needs min_disk \(image.minDisk) GB.")
            }
            if let size = image.size, size > Int64(flavor.rootGB) << 30 {
                throw APIError.badRequest("Flavor's disk is too small for requested image: the image is \(size) bytes, \(flavor.name) has \(flavor.rootGB) GB.")
            }
        }
    }
}

/// Finds the server of a `:id` route, enforcing ownership (403 for another project's server).
enum ServerLookup {
    static func find(_ context: APIRequestContext, _ database: ServiceDatabase) async throws -> (InstanceRecord, InstanceFaultRecord?) {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        let found = try await database.read { db -> (InstanceRecord, InstanceFaultRecord?)? in
            guard let row = try InstanceStore.live(db, uuid: id.lowercased()) else { return nil }
            return (row, try InstanceStore.latestFaults(db, uuids: [row.uuid])[row.uuid])
        }
        guard let (instance, fault) = found else { throw APIError.notFound("Instance \(id) could not be found.") }
        guard auth.mayAccess(projectID: instance.projectID) else {
            throw APIError.forbidden("Policy doesn't allow access to instance \(id): it belongs to another project.")
        }
        return (instance, fault)
    }
}
