import Foundation
import Hummingbird
import Messaging
import Schemas
import Storage

/// `os-services`: list with State up/down from heartbeats; enable/disable (2.1 style).
public struct ServiceRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.get("os-services") { request, context in
            _ = try context.caller()
            let query = request.query
            let now = environment.now()
            let downTime = environment.configuration.serviceDownTime
            let rows = try await environment.database.read { db in try ServiceRecord.order(Column("id")).fetchAll(db) }
                .filter { row in query["binary"].map { $0 == row.binary } ?? true }
                .filter { row in query["host"].map { $0 == row.host } ?? true }
            let items: [JSONValue] = rows.map { row in
                let up = ServiceLiveness.isUp(lastSeen: row.lastSeenUp, forcedDown: row.forcedDown, now: now, serviceDownTime: downTime)
                return Self.json(row, up: up)
            }
            return JSONResponse.make(["services": .array(items)])
        }
        group.put("os-services/:verb") { request, context in try await self.update(request, context) }
    }

    /// Nova's service JSON (2.1).
    static func json(_ row: ServiceRecord, up: Bool) -> JSONValue {
        [
            "id": .int(row.id ?? 0), "binary": .string(row.binary), "host": .string(row.host),
            "zone": .string(row.binary == "cirrus-compute" ? (row.availabilityZone ?? "nova") : "internal"),
            "status": row.disabled ? "disabled" : "enabled", "state": up ? "up" : "down",
            "updated_at": .string(OpenStackTime.nova(row.updatedAt)),
            "disabled_reason": row.disabledReason.map { .string($0) } ?? .null,
            "forced_down": .bool(row.forcedDown),
        ]
    }

    func update(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let auth = try context.caller()
        guard auth.isAdmin else { throw APIError.forbidden("Policy doesn't allow os_compute_api:os-services:update to be performed: admins only.") }
        let verb = try context.parameters.require("verb")
        let disable: Bool
        switch verb {
        case "disable", "disable-log-reason": disable = true
        case "enable": disable = false
        default: throw APIError.notFound("Unknown os-services action '\(verb)'; use enable, disable or disable-log-reason.")
        }
        guard let body = try BodyFields.parse(try await request.jsonBody()).objectValue else {
            throw APIError.badRequest("The body must be an object with 'host' and 'binary'.")
        }
        let fields = BodyFields(body, path: "")
        let host = try fields.requiredString("host")
        let binary = try fields.requiredString("binary")
        let reason = disable ? try fields.string("disabled_reason") : nil
        if let reason, reason.isEmpty || reason.count > 255 {
            throw APIError.badRequest("disabled_reason must be 1-255 characters.")
        }
        let time = environment.now()
        let updated = try await environment.database.write { db -> ServiceRecord in
            guard var row = try ServiceRecord.filter(Column("binary") == binary && Column("host") == host).fetchOne(db) else {
                throw APIError.notFound("Host '\(host)' has no service '\(binary)'; see 'openstack compute service list'.")
            }
            row.disabled = disable
            row.disabledReason = reason
            row.updatedAt = time
            try row.update(db)
            return row
        }
        context.logger.info("Service status changed", metadata: ["service.host": "\(host)", "service.binary": "\(binary)", "disabled": "\(disable)"])
        if binary == "cirrus-compute" {
            do {
                try await environment.scheduler.updateService(
                    UpdateServiceArguments(host: host, disabled: disable, forcedDown: updated.forcedDown),
                    context: auth.rpcContext(requestID: context.requestID))
            } catch {
                context.logger.warning("Cannot tell the schedulers about the service change", metadata: ["error": "\(error)"])
            }
        }
        var service: [String: JSONValue] = ["host": .string(host), "binary": .string(binary), "status": disable ? "disabled" : "enabled"]
        if let reason { service["disabled_reason"] = .string(reason) }
        return JSONResponse.make(["service": .object(service)])
    }
}
