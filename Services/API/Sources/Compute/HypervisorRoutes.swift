import Foundation
import Hummingbird
import Messaging
import Storage

/// `os-hypervisors[/detail|/{id}]` from the compute nodes' reports; state from the compute
/// service's heartbeats, status from its enabled/disabled flag. Admins only, as in Nova.
public struct HypervisorRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    public func register(on group: RouterGroup<APIRequestContext>) {
        group.get("os-hypervisors") { _, context in try await self.list(context, detail: false) }
        group.get("os-hypervisors/detail") { _, context in try await self.list(context, detail: true) }
        group.get("os-hypervisors/:id") { _, context in
            let id = try context.parameters.require("id")
            let all = try await self.load(context)
            guard let (node, service) = all.first(where: { String($0.0.id ?? 0) == id || $0.0.nodename == id }) else {
                throw APIError.notFound("Hypervisor \(id) could not be found.")
            }
            return JSONResponse.make(["hypervisor": self.json(node, service: service, detail: true)])
        }
    }

    func list(_ context: APIRequestContext, detail: Bool) async throws -> Response {
        let items = try await load(context).map { json($0.0, service: $0.1, detail: detail) }
        return JSONResponse.make(["hypervisors": .array(items)])
    }

    func load(_ context: APIRequestContext) async throws -> [(ComputeNodeRecord, ServiceRecord?)] {
        guard try context.caller().isAdmin else {
            throw APIError.forbidden("Policy doesn't allow os_compute_api:os-hypervisors:list to be performed: admins only.")
        }
        return try await environment.database.read { db in
            let services = try ServiceRecord.filter(Column("binary") == "cirrus-compute").fetchAll(db)
            let byHost = Dictionary(services.map { ($0.host, $0) }, uniquingKeysWith: { a, _ in a })
            return try ComputeNodeRecord.order(Column("id")).fetchAll(db).map { ($0, byHost[$0.host]) }
        }
    }

    func json(_ n: ComputeNodeRecord, service: ServiceRecord?, detail: Bool) -> JSONValue {
        let up = service.map {
            ServiceLiveness.isUp(lastSeen: $0.lastSeenUp, forcedDown: $0.forcedDown, now: environment.now(), serviceDownTime: environment.configuration.serviceDownTime)
        } ?? false
        var o: [String: JSONValue] = [
            "id": .int(n.id ?? 0), "hypervisor_hostname": .string(n.nodename),
            "state": up ? "up" : "down", "status": (service?.disabled ?? false) ? "disabled" : "enabled",
        ]
        guard detail else { return .object(o) }
        o["hypervisor_type"] = .string(n.hypervisorType)
        o["hypervisor_version"] = 1000
        o["host_ip"] = .string(n.hostIP)
        o["vcpus"] = .int(Int64(n.vcpus))
        o["vcpus_used"] = .int(Int64(n.vcpusUsed))
        o["memory_mb"] = .int(Int64(n.memoryMB))
        o["memory_mb_used"] = .int(Int64(n.memoryMBUsed))
        o["free_ram_mb"] = .int(Int64(n.memoryMB - n.memoryMBUsed))
        o["local_gb"] = .int(Int64(n.localGB))
        o["local_gb_used"] = .int(Int64(n.localGBUsed))
        o["free_disk_gb"] = .int(Int64(n.localGB - n.localGBUsed))
        o["disk_available_least"] = .int(Int64(n.localGB - n.localGBUsed))
        o["running_vms"] = .int(Int64(n.runningVMs))
        o["current_workload"] = 0
        o["cpu_info"] = "{}"
        o["service"] = [
            "host": .string(n.host), "id": .int(service?.id ?? 0),
            "disabled_reason": service?.disabledReason.map { .string($0) } ?? .null,
        ]
        return .object(o)
    }
}
