import Foundation
import Storage

/// The Neutron-shaped tables (migration `api.v3.networking`) and the instance extras the
/// metadata service needs: image internal ids (`ami-%08x`), guest passwords and a metadata
/// revision per instance.
enum NetworkSchema {
    static func migrate(_ db: Database) throws {
        try db.create(table: "networks") { t in
            t.primaryKey("id", .text)
            t.column("name", .text).notNull().defaults(to: "")
            t.column("project_id", .text).notNull().indexed()
            t.column("network_type", .text).notNull()
            t.column("physical_network", .text)
            t.column("mtu", .integer).notNull()
            t.column("shared", .boolean).notNull()
            t.column("admin_state_up", .boolean).notNull()
            t.column("status", .text).notNull()
            t.column("description", .text).notNull().defaults(to: "")
            t.column("revision_number", .integer).notNull()
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
        }
        try db.create(table: "subnets") { t in
            t.primaryKey("id", .text)
            t.column("network_id", .text).notNull().indexed().references("networks", onDelete: .cascade)
            t.column("name", .text).notNull().defaults(to: "")
            t.column("project_id", .text).notNull()
            t.column("ip_version", .integer).notNull()
            t.column("cidr", .text).notNull()
            t.column("gateway_ip", .text)
            t.column("allocation_pools", .text).notNull()
            t.column("dns_nameservers", .text).notNull()
            t.column("host_routes", .text).notNull()
            t.column("enable_dhcp", .boolean).notNull()
            t.column("description", .text).notNull().defaults(to: "")
            t.column("revision_number", .integer).notNull()
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
        }
        try db.create(table: "ports") { t in
            t.primaryKey("id", .text)
            t.column("network_id", .text).notNull().indexed().references("networks", onDelete: .cascade)
            t.column("name", .text).notNull().defaults(to: "")
            t.column("project_id", .text).notNull()
            t.column("mac_address", .text).notNull().unique()
            t.column("device_id", .text).notNull().indexed()
            t.column("device_owner", .text).notNull()
            t.column("binding_host", .text)
            t.column("status", .text).notNull()
            t.column("admin_state_up", .boolean).notNull()
            t.column("dns_name", .text)
            t.column("description", .text).notNull().defaults(to: "")
            t.column("revision_number", .integer).notNull()
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
        }
        try db.create(table: "ip_allocations") { t in
            t.column("port_id", .text).notNull().indexed().references("ports", onDelete: .cascade)
            t.column("network_id", .text).notNull()
            t.column("subnet_id", .text).notNull()
            t.column("ip_address", .text).notNull()
            t.column("ip_int", .integer).notNull()
            t.uniqueKey(["subnet_id", "ip_address"])
        }
        try db.create(index: "ip_allocations_on_network_ip", on: "ip_allocations", columns: ["network_id", "ip_address"])
        try db.create(table: "image_internal_ids") { t in
            t.autoIncrementedPrimaryKey("internal_id")
            t.column("image_id", .text).notNull().unique()
        }
        try db.execute(sql: "INSERT INTO image_internal_ids (image_id) SELECT id FROM images ORDER BY created_at, rowid")
        try db.execute(sql: """
            CREATE TRIGGER images_internal_id AFTER INSERT ON images
            BEGIN INSERT OR IGNORE INTO image_internal_ids (image_id) VALUES (NEW.id); END
            """)
        try db.create(table: "instance_passwords") { t in
            t.primaryKey("instance_uuid", .text)
            t.column("password", .text).notNull()
            t.column("created_at", .datetime).notNull()
        }
        try db.create(table: "instance_metadata_revisions") { t in
            t.primaryKey("instance_uuid", .text)
            t.column("revision", .integer).notNull()
        }
    }
}
