import Foundation
import Schemas

/// `GET /servers[/detail]` query: `name` (regular expression, as Nova), `status`, `host`,
/// `all_tenants` (admins), `project_id`/`tenant_id`, `deleted`, `limit`; others are ignored.
public struct ServerListFilter: Sendable {
    public var name: String?
    public var vmStates: Set<VMState>?
    public var unknownStatus = false
    public var host: String?
    public var allTenants = false
    public var projectID: String?
    public var deleted = false
    public var limit = Int.max

    public init(query: [String: String], isAdmin: Bool) throws {
        name = query["name"].flatMap { $0.isEmpty ? nil : $0 }
        if let status = query["status"] {
            vmStates = ServerStatus.vmStates(forStatus: status)
            unknownStatus = vmStates == nil
        }
        if let value = query["all_tenants"] {
            guard isAdmin else { throw APIError.forbidden("Policy doesn't allow all_tenants to be performed: only admins may list all projects' servers.") }
            allTenants = value.isEmpty || (Bool(configLike: value) ?? true)
        }
        host = isAdmin ? query["host"] : nil
        if let project = query["project_id"] ?? query["tenant_id"], isAdmin {
            projectID = project
            allTenants = true
        }
        deleted = query["deleted"].flatMap { Bool(configLike: $0) } ?? false
        if let limit = query["limit"] {
            guard let n = Int(limit), n >= 0 else { throw APIError.badRequest("limit must be a non-negative integer.") }
            self.limit = n
        }
    }

    /// Whether `instance` passes the filters that SQL did not apply (name, status).
    public func matches(_ instance: InstanceRecord) -> Bool {
        if unknownStatus { return false }
        if let vmStates, !vmStates.contains(instance.vmState) { return false }
        if let name {
            if let regex = try? Regex(name) {
                if (try? regex.firstMatch(in: instance.name)) == nil { return false }
            } else if !instance.name.contains(name) {
                return false
            }
        }
        return true
    }
}
