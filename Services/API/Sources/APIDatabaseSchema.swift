import Foundation
import Storage

/// The tables of the boot path (see ``APIDatabase/migrations``).
enum APIDatabaseSchema {
    static func identityAndCatalog(_ db: Database) throws {
        try db.create(table: "tokens") { t in
            t.primaryKey("token", .text)
            t.column("user_id", .text).notNull()
            t.column("user_name", .text).notNull()
            t.column("project_id", .text).notNull()
            t.column("project_name", .text).notNull()
            t.column("roles", .text).notNull()
            t.column("issued_at", .datetime).notNull()
            t.column("expires_at", .datetime).notNull().indexed()
        }
        try db.create(table: "flavors") { t in
            t.primaryKey("id", .text)
            t.column("name", .text).notNull().unique()
            t.column("vcpus", .integer).notNull()
            t.column("memory_mb", .integer).notNull()
            t.column("root_gb", .integer).notNull()
            t.column("ephemeral_gb", .integer).notNull().defaults(to: 0)
            t.column("swap_mb", .integer).notNull().defaults(to: 0)
            t.column("rxtx_factor", .double).notNull().defaults(to: 1.0)
            t.column("is_public", .boolean).notNull().defaults(to: true)
            t.column("extra_specs", .text).notNull().defaults(to: "{}")
        }
        try db.create(table: "images") { t in
            t.primaryKey("id", .text)
            t.column("name", .text)
            t.column("status", .text).notNull()
            t.column("visibility", .text).notNull()
            t.column("protected", .boolean).notNull().defaults(to: false)
            t.column("owner", .text).notNull().indexed()
            t.column("disk_format", .text)
            t.column("container_format", .text)
            t.column("min_disk", .integer).notNull().defaults(to: 0)
            t.column("min_ram", .integer).notNull().defaults(to: 0)
            t.column("size", .integer)
            t.column("checksum", .text)
            t.column("os_hash_algo", .text)
            t.column("os_hash_value", .text)
            t.column("properties", .text).notNull().defaults(to: "{}")
            t.column("tags", .text).notNull().defaults(to: "[]")
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
        }
        try db.create(table: "keypairs") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("user_id", .text).notNull()
            t.column("name", .text).notNull()
            t.column("fingerprint", .text).notNull()
            t.column("public_key", .text).notNull()
            t.column("type", .text).notNull()
            t.column("created_at", .datetime).notNull()
            t.uniqueKey(["user_id", "name"])
        }
    }

    static func instances(_ db: Database) throws {
        try db.create(table: "instances") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("uuid", .text).notNull().unique()
            t.column("name", .text).notNull()
            t.column("hostname", .text).notNull()
            t.column("project_id", .text).notNull()
            t.column("user_id", .text).notNull()
            t.column("flavor", .text).notNull()
            t.column("image", .text).notNull()
            t.column("key_name", .text)
            t.column("key_data", .text)
            t.column("user_data", .text)
            t.column("availability_zone", .text)
            t.column("metadata", .text).notNull().defaults(to: "{}")
            t.column("launch_index", .integer).notNull().defaults(to: 0)
            t.column("host", .text).indexed()
            t.column("node", .text)
            t.column("vm_state", .text).notNull()
            t.column("task_state", .text)
            t.column("power_state", .integer).notNull().defaults(to: 0)
            t.column("create_request_id", .text).notNull()
            t.column("request_spec", .text).notNull()
            t.column("launched_at", .datetime)
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
            t.column("deleted_at", .datetime)
            t.column("deleted", .boolean).notNull().defaults(to: false)
        }
        try db.create(index: "instances_on_project_deleted", on: "instances", columns: ["project_id", "deleted"])
        try db.create(index: "instances_on_vm_state", on: "instances", columns: ["vm_state"])
        try db.create(table: "instance_actions") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("instance_uuid", .text).notNull()
            t.column("request_id", .text).notNull()
            t.column("action", .text).notNull()
            t.column("user_id", .text)
            t.column("project_id", .text)
            t.column("start_time", .datetime).notNull()
            t.column("message", .text)
            t.uniqueKey(["instance_uuid", "request_id"])
        }
        try db.create(table: "instance_action_events") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("action_id", .integer).notNull().references("instance_actions", onDelete: .cascade)
            t.column("event", .text).notNull()
            t.column("host", .text)
            t.column("start_time", .datetime).notNull()
            t.column("finish_time", .datetime)
            t.column("result", .text)
            t.column("traceback", .text)
            t.uniqueKey(["action_id", "event"])
        }
        try db.create(table: "instance_faults") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("instance_uuid", .text).notNull().indexed()
            t.column("code", .integer).notNull()
            t.column("message", .text).notNull()
            t.column("details", .text).notNull().defaults(to: "")
            t.column("host", .text)
            t.column("created_at", .datetime).notNull()
        }
        try db.create(table: "compute_nodes") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("host", .text).notNull()
            t.column("nodename", .text).notNull()
            t.column("hypervisor_type", .text).notNull()
            t.column("host_ip", .text).notNull()
            t.column("vcpus", .integer).notNull()
            t.column("memory_mb", .integer).notNull()
            t.column("local_gb", .integer).notNull()
            t.column("vcpus_used", .integer).notNull()
            t.column("memory_mb_used", .integer).notNull()
            t.column("local_gb_used", .integer).notNull()
            t.column("running_vms", .integer).notNull()
            t.column("availability_zone", .text).notNull()
            t.column("updated_at", .datetime).notNull()
            t.uniqueKey(["host", "nodename"])
        }
    }
}
