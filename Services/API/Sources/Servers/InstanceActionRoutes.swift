import Foundation
import Hummingbird
import Messaging
import Storage

/// `os-instance-actions`: what was done to a server and the events compute reported
/// (`openstack server event list/show`).
public struct InstanceActionRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.get("servers/:id/os-instance-actions") { _, context in
            let (instance, _) = try await ServerLookup.find(context, environment.database)
            let actions = try await environment.database.read { db in
                try InstanceActionRecord.filter(Column("instance_uuid") == instance.uuid).order(Column("id").desc).fetchAll(db)
            }
            return JSONResponse.make(["instanceActions": .array(actions.map { Self.json($0) })])
        }
        group.get("servers/:id/os-instance-actions/:request") { _, context in
            let auth = try context.caller()
            let (instance, _) = try await ServerLookup.find(context, environment.database)
            let requestID = try context.parameters.require("request")
            let found = try await environment.database.read { db -> (InstanceActionRecord, [InstanceActionEventRecord])? in
                guard let action = try InstanceActionRecord.filter(Column("instance_uuid") == instance.uuid && Column("request_id") == requestID).fetchOne(db)
                else { return nil }
                let events = try InstanceActionEventRecord.filter(Column("action_id") == action.id).order(Column("id")).fetchAll(db)
                return (action, events)
            }
            guard let (action, events) = found else {
                throw APIError.notFound("Action for request_id \(requestID) on instance \(instance.uuid) not found")
            }
            var json = Self.json(action)
            if case .object(var o) = json {
                o["events"] = .array(events.map { Self.json($0, admin: auth.isAdmin) })
                json = .object(o)
            }
            return JSONResponse.make(["instanceAction": json])
        }
    }

    static func json(_ a: InstanceActionRecord) -> JSONValue {
        [
            "action": .string(a.action), "instance_uuid": .string(a.instanceUUID), "request_id": .string(a.requestID),
            "user_id": a.userID.map { .string($0) } ?? .null, "project_id": a.projectID.map { .string($0) } ?? .null,
            "start_time": .string(OpenStackTime.nova(a.startTime)), "message": a.message.map { .string($0) } ?? .null,
        ]
    }

    static func json(_ e: InstanceActionEventRecord, admin: Bool) -> JSONValue {
        var o: [String: JSONValue] = [
            "event": .string(e.event), "start_time": .string(OpenStackTime.nova(e.startTime)),
            "finish_time": e.finishTime.map { .string(OpenStackTime.nova($0)) } ?? .null,
            "result": e.result.map { .string($0) } ?? .null,
        ]
        if admin { o["traceback"] = e.traceback.map { .string($0) } ?? .null }
        return .object(o)
    }
}
