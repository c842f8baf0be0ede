import Foundation
import Hummingbird
import Messaging
import Schemas
import Storage

/// `/v2.0/ports`: create (addresses from ``PortAllocator``), list with Neutron filters, show,
/// update (name, admin state, device, binding host, dns name, fixed IPs), delete.
public struct PortRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    var database: ServiceDatabase { environment.database }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.get("ports") { request, context in try await self.list(request, context) }
        group.get("ports/:id") { _, context in try await self.show(context) }
        group.post("ports") { request, context in try await self.create(request, context) }
        group.put("ports/:id") { request, context in try await self.update(request, context) }
        group.delete("ports/:id") { _, context in try await self.delete(context) }
    }

    static func find(_ db: Database, id: String, auth: AuthContext) throws -> PortRecord {
        guard let row = try PortRecord.fetchOne(db, key: id), auth.isAdmin || row.projectID == auth.projectID else {
            throw APIError.notFound("Port \(id) could not be found.", type: "PortNotFound")
        }
        return row
    }

    static func views(_ db: Database, _ rows: [PortRecord]) throws -> [JSONValue] {
        let infos = try NetworkStore.portInfos(db, rows)
        return zip(rows, infos).map { NetworkViews.port($0, fixedIPs: $1.fixedIPs) }
    }

    func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let query = NeutronQuery(pairs: request.queryPairs)
        let views = try await database.read { db -> [JSONValue] in
            var q = PortRecord.order(Column("created_at"), Column("id"))
            if !auth.isAdmin { q = q.filter(Column("project_id") == auth.projectID) }
            for (key, column) in [("network_id", "network_id"), ("device_id", "device_id"), ("id", "id"), ("mac_address", "mac_address")] {
                if let values = query.filters[key] { q = q.filter(values.contains(Column(column))) }
            }
            if let ips = query.filters["fixed_ips"] {
                for wanted in ips where wanted.hasPrefix("ip_address=") {
                    let ip = String(wanted.dropFirst("ip_address=".count))
                    q = q.filter(sql: "id IN (SELECT port_id FROM ip_allocations WHERE ip_address = ?)", arguments: [ip])
                }
            }
            return try Self.views(db, q.fetchAll(db))
        }
        return JSONResponse.make(["ports": .array(views.filter(query.matches).map(query.project))])
    }

    func show(_ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        let v = try await database.read { db in try Self.views(db, [try Self.find(db, id: id, auth: auth)])[0] }
        return JSONResponse.make(["port": v])
    }

    func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let f = try BodyFields.root(try await request.jsonBody(), key: "port")
        var port = PortRequest(networkID: try f.requiredString("network_id"), projectID: auth.projectID)
        if let project = try f.string("project_id") ?? f.string("tenant_id"), project != auth.projectID {
            guard auth.isAdmin else { throw APIError.forbidden("Only admins may create ports for another project.") }
            port.projectID = project
        }
        try PortFields.apply(f, to: &port, auth: auth)
        port.macAddress = try f.string("mac_address")
        if let items = try f.array("fixed_ips") { port.fixedIPs = try PortFields.fixedIPs(items) }
        let time = environment.now()
        let request = port
        let (info, v) = try await database.write { db -> (PortInfo, JSONValue) in
            _ = try NetworkAccess.visible(db, id: request.networkID, auth: auth)
            var allocator = PortAllocator()
            let info = try allocator.create(db, request, now: time)
            try NetworkStore.bumpMetadataRevision(db, instances: info.deviceOwner == DeviceOwner.compute && !info.deviceID.isEmpty ? [info.deviceID] : [])
            return (info, try Self.views(db, [try PortRecord.fetchOne(db, key: info.id)!])[0])
        }
        context.logger.info("Port created", metadata: ["port.id": "\(info.id)", "network.id": "\(info.networkID)"])
        await environment.notifier.submit([.portCreated(info)], context: auth.rpcContext(requestID: context.requestID))
        return JSONResponse.make(["port": v], status: .created)
    }

    func update(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        let f = try BodyFields.root(try await request.jsonBody(), key: "port")
        let wanted = try f.array("fixed_ips").map(PortFields.fixedIPs)
        for key in ["network_id", "mac_address"] where f.has(key) {
            throw APIError.badRequest("Invalid input for operation: \(key) cannot be changed on an existing port; create a new port.", type: "InvalidInput")
        }
        let time = environment.now()
        let (before, after, v) = try await database.write { db -> (PortInfo, PortInfo, JSONValue) in
            var row = try Self.find(db, id: id, auth: auth)
            let before = try NetworkStore.portInfos(db, [row])[0]
            var changes = PortRequest(networkID: row.networkID, projectID: row.projectID)
            changes.name = row.name
            changes.adminStateUp = row.adminStateUp
            changes.deviceID = row.deviceID
            changes.deviceOwner = row.deviceOwner
            changes.bindingHost = row.bindingHost
            changes.dnsName = row.dnsName
            changes.description = row.description
            try PortFields.apply(f, to: &changes, auth: auth)
            row.name = changes.name
            row.adminStateUp = changes.adminStateUp
            row.deviceID = changes.deviceID
            row.deviceOwner = changes.deviceOwner
            row.bindingHost = changes.bindingHost
            row.dnsName = changes.dnsName
            row.description = changes.description
            if let wanted {
                var allocator = PortAllocator()
                _ = try allocator.replaceAddresses(db, port: row, wanted: wanted)
            }
            row.revisionNumber += 1
            row.updatedAt = time
            try row.update(db)
            try NetworkStore.bumpRevision(db, network: row.networkID, now: time)
            let after = try NetworkStore.portInfos(db, [row])[0]
            let instances = Set([before, after].filter { $0.deviceOwner == DeviceOwner.compute && !$0.deviceID.isEmpty }.map(\.deviceID))
            try NetworkStore.bumpMetadataRevision(db, instances: Array(instances))
            return (before, after, try Self.views(db, [row])[0])
        }
        var events: [NetworkEvent] = [.portUpdated(after)]
        if before.deviceID != after.deviceID, before.deviceOwner == DeviceOwner.compute, !before.deviceID.isEmpty {
            events.append(.instancesChanged([before.deviceID]))
        }
        await environment.notifier.submit(events, context: auth.rpcContext(requestID: context.requestID))
        return JSONResponse.make(["port": v])
    }

    func delete(_ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let id = try context.parameters.require("id")
        let time = environment.now()
        let removed = try await database.write { db -> PortInfo? in
            let row = try Self.find(db, id: id, auth: auth)
            let info = try NetworkStore.deletePort(db, id: row.id, now: time)
            if row.deviceOwner == DeviceOwner.compute, !row.deviceID.isEmpty {
                try NetworkStore.bumpMetadataRevision(db, instances: [row.deviceID])
            }
            return info
        }
        if let removed {
            context.logger.info("Port deleted", metadata: ["port.id": "\(id)"])
            await environment.notifier.submit([.portDeleted(removed)], context: auth.rpcContext(requestID: context.requestID))
        }
        return JSONResponse.empty(.noContent)
    }
}

/// The changeable fields of a port body. Pure.
enum PortFields {
    static func apply(_ f: BodyFields, to port: inout PortRequest, auth: AuthContext) throws {
        if let name = try f.string("name") {
            guard name.count <= 255 else { throw NetworkRequest.invalid("name is longer than 255 characters.") }
            port.name = name
        }
        if let up = try f.bool("admin_state_up") { port.adminStateUp = up }
        if let d = try f.string("description") { port.description = d }
        if let device = try f.string("device_id") { port.deviceID = device }
        if let owner = try f.string("device_owner") { port.deviceOwner = owner }
        if f.values.keys.contains("binding:host_id") {
            let host = try f.string("binding:host_id")
            port.bindingHost = host.flatMap { $0.isEmpty ? nil : $0 }
        }
        if f.values.keys.contains("dns_name") { port.dnsName = try f.string("dns_name") }
        guard port.deviceID.count <= 255, port.deviceOwner.count <= 255 else {
            throw NetworkRequest.invalid("device_id and device_owner are limited to 255 characters.")
        }
    }

    static func fixedIPs(_ items: [JSONValue]) throws -> [PortRequest.FixedIPRequest] {
        try items.map { item in
            guard case .object = item else { throw NetworkRequest.invalid("fixed_ips items must be objects with subnet_id and/or ip_address.") }
            let r = PortRequest.FixedIPRequest(subnetID: item["subnet_id"]?.stringValue, ipAddress: item["ip_address"]?.stringValue)
            guard r.subnetID != nil || r.ipAddress != nil else {
                throw NetworkRequest.invalid("each fixed_ips item needs a subnet_id or an ip_address.")
            }
            return r
        }
    }
}
