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
        // `hypervisor show` also lists aggregates; Cirrus has none.
        group.get("os-aggregates") { _, context in
            _ = try context.caller()
            return JSONResponse.make(["aggregates": []])
        }
        group.get("os-availability-zone") { _, context in try await self.zones(context, detail: false) }
        group.get("os-availability-zone/detail") { _, context in try await self.zones(context, detail: true) }
        group.get("os-hypervisors/:id/uptime") { _, context in
            let id = try context.parameters.require("id")
            guard let (node, service) = try await self.load(context).first(where: { String($0.0.id ?? 0) == id }) else {
                throw APIError.notFound("Hypervisor \(id) could not be found.")
            }
            guard case .object(var o) = self.json(node, service: service, detail: false) else { return JSONResponse.empty(.noContent) }
            let clock = OpenStackTime.iso(node.updatedAt).dropFirst(11).prefix(8)
            o["uptime"] = .string(" \(clock) up 0 min,  0 users,  load average: 0.00, 0.00, 0.00")
            return JSONResponse.make(["hypervisor": .object(o)])
        }
    }

    /// `availability zone list --compute`: the zones of the compute nodes (`nova` when none).
    func zones(_ context: APIRequestContext, detail: Bool) async throws -> Response {
        _ = try context.caller()
        let nodes = try await environment.database.read { db in try ComputeNodeRecord.order(Column("host")).fetchAll(db) }
        let zones = nodes.isEmpty ? ["nova"] : Array(Set(nodes.map(\.availabilityZone))).sorted()
        let items: [JSONValue] = zones.map { zone in
            var hosts: JSONValue = nil
            if detail {
                var byHost: [String: JSONValue] = [:]
                for node in nodes where node.availabilityZone == zone {
                    byHost[node.host] = ["cirrus-compute": ["available": true, "active": true, "updated_at": .string(OpenStackTime.nova(node.updatedAt))]]
                }
                hosts = .object(byHost)
            }
            return ["zoneName": .string(zone), "zoneState": ["available": true], "hosts": hosts]
        }
        return JSONResponse.make(["availabilityZoneInfo": .array(items)])
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
