import Foundation
import Hummingbird
import Messaging
import Schemas
import Storage

/// `DELETE /servers/{id}` and `POST /servers/{id}/action` (`os-stop`, `os-start`, `reboot`).
public struct ServerActionRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.delete("servers/:id") { _, context in try await self.delete(context) }
        group.post("servers/:id/action") { request, context in try await self.action(request, context) }
        ServerConsoleRoutes(environment: environment).register(on: group)
    }

    func delete(_ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        let (instance, _) = try await ServerLookup.find(context, environment.database)
        let rpc = auth.rpcContext(requestID: context.requestID)
        let time = environment.now()
        let requestID = context.requestID
        let downTime = environment.configuration.serviceDownTime
        let (local, ports) = try await environment.database.write { db -> (Bool, [PortInfo]) in
            guard var row = try InstanceStore.live(db, uuid: instance.uuid) else { return (true, []) }
            try InstanceStore.recordAction(
                db, uuid: row.uuid, requestID: requestID, action: "delete", userID: auth.userID, projectID: auth.projectID, now: time)
            // Nova's local delete: nothing was built yet, or the compute service is down.
            if try row.host == nil || !Self.computeIsUp(db, host: row.host!, now: time, downTime: downTime) {
                _ = try InstanceStore.softDelete(db, uuid: row.uuid, now: time)
                return (true, try NetworkStore.deleteInstancePorts(db, instance: row.uuid, now: time))
            }
            row.taskState = .deleting
            row.updatedAt = time
            try row.update(db)
            // The ports go when compute reports the instance deleted.
            return (false, [])
        }
        if local {
            context.logger.info("Server deleted locally", metadata: ["instance.id": "\(instance.uuid)"])
            await environment.notifier.submit(ports.map { .portDeleted($0) } + [.instancesDeleted([instance.uuid])], context: rpc)
            try? await environment.scheduler.releaseClaim(instanceUUID: instance.uuid, context: rpc)
        } else if let host = instance.host {
            try await environment.compute.terminateInstance(
                host: host, InstanceActionArguments(instanceUUID: instance.uuid, actionRequestID: requestID), context: rpc)
            context.logger.info("Terminate cast to compute", metadata: ["instance.id": "\(instance.uuid)", "host": "\(host)"])
        }
        return JSONResponse.empty(.noContent)
    }

    static func computeIsUp(_ db: Database, host: String, now: Date, downTime: Double) throws -> Bool {
        guard let service = try ServiceRecord.filter(Column("binary") == "cirrus-compute" && Column("host") == host).fetchOne(db)
        else { return false }
        return ServiceLiveness.isUp(lastSeen: service.lastSeenUp, forcedDown: service.forcedDown, now: now, serviceDownTime: downTime)
    }

    func action(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        guard let body = try BodyFields.parse(try await request.jsonBody()).objectValue, body.count == 1, let (name, value) = body.first else {
            throw APIError.badRequest("The action body must be an object with exactly one action, e.g. {\"os-stop\": null}.")
        }
        if ServerConsoleRoutes.actions.contains(name) {
            return try await ServerConsoleRoutes(environment: environment).action(name, value, context)
        }
        let action: ServerAction
        var requestedReboot = RebootType.soft
        switch name {
        case "os-stop": action = .stop
        case "os-start": action = .start
        case "reboot":
            action = .reboot
            guard let type = value["type"]?.stringValue, let parsed = RebootType(rawValue: type.uppercased()) else {
                throw APIError.badRequest("Invalid input for field/attribute reboot.type: expected 'SOFT' or 'HARD'.")
            }
            requestedReboot = parsed
        default:
            throw APIError.badRequest("Action '\(name)' is not supported; use os-stop, os-start, reboot, os-getConsoleOutput or os-getVNCConsole.")
        }
        let (instance, _) = try await ServerLookup.find(context, environment.database)
        let time = environment.now()
        let requestID = context.requestID
        let rebootType = requestedReboot
        let host: String = try await environment.database.write { db in
            guard var row = try InstanceStore.live(db, uuid: instance.uuid) else {
                throw APIError.notFound("Instance \(instance.uuid) could not be found.")
            }
            let task = try ServerAction.begin(action, vmState: row.vmState, taskState: row.taskState, rebootType: rebootType, uuid: row.uuid).get()
            guard let host = row.host else {
                throw APIError.conflict("Cannot '\(action.rawValue)' instance \(row.uuid): it has no host yet.")
            }
            row.taskState = task
            row.updatedAt = time
            try row.update(db)
            try InstanceStore.recordAction(
                db, uuid: row.uuid, requestID: requestID, action: action.rawValue, userID: auth.userID, projectID: auth.projectID, now: time)
            return host
        }
        let rpc = auth.rpcContext(requestID: requestID)
        let args = InstanceActionArguments(instanceUUID: instance.uuid, actionRequestID: requestID)
        switch action {
        case .stop: try await environment.compute.stopInstance(host: host, args, context: rpc)
        case .start: try await environment.compute.startInstance(host: host, args, context: rpc)
        case .reboot:
            try await environment.compute.rebootInstance(
                host: host, RebootInstanceArguments(instanceUUID: instance.uuid, rebootType: rebootType, actionRequestID: requestID), context: rpc)
        case .delete: break
        }
        context.logger.info("Server action cast to compute", metadata: ["instance.id": "\(instance.uuid)", "action": "\(action.rawValue)"])
        return JSONResponse.empty(.accepted)
    }
}
