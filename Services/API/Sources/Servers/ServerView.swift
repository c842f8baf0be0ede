import Foundation
import Messaging
import Schemas

/// Nova's server JSON at microversion 2.1. Pure.
public enum ServerView {
    public static func links(_ uuid: String, baseURL: String) -> JSONValue {
        [
            ["rel": "self", "href": .string("\(baseURL)/compute/v2.1/servers/\(uuid)")],
            ["rel": "bookmark", "href": .string("\(baseURL)/compute/servers/\(uuid)")],
        ]
    }

    /// `GET /servers` items.
    public static func summary(_ i: InstanceRecord, baseURL: String) -> JSONValue {
        ["id": .string(i.uuid), "name": .string(i.name), "links": links(i.uuid, baseURL: baseURL)]
    }

    /// `POST /servers` answer.
    public static func created(_ i: InstanceRecord, baseURL: String) -> JSONValue {
        [
            "id": .string(i.uuid), "links": links(i.uuid, baseURL: baseURL), "OS-DCF:diskConfig": "MANUAL",
            "security_groups": [["name": "default"]],
        ]
    }

    /// `GET /servers/{id}` and `/servers/detail` items; `fault` is the latest, shown in ERROR.
    /// Nova's `addresses`: `{"<network name>": [{"version": 4, "addr", "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr"}]}`.
    public static func addresses(_ list: [(network: String, ip: String, mac: String)]) -> JSONValue {
        var out: [String: [JSONValue]] = [:]
        for a in list {
            out[a.network, default: []].append([
                "version": 4, "addr": .string(a.ip), "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": .string(a.mac),
            ])
        }
        return .object(out.mapValues { .array($0) })
    }

    public static func detail(
        _ i: InstanceRecord, fault: InstanceFaultRecord?, baseURL: String, isAdmin: Bool,
        addresses: [(network: String, ip: String, mac: String)] = []
    ) -> JSONValue {
        func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        var o: [String: JSONValue] = [
            "id": .string(i.uuid), "name": .string(i.name), "links": links(i.uuid, baseURL: baseURL),
            "status": .string(ServerStatus.of(vmState: i.vmState, taskState: i.taskState)),
            "tenant_id": .string(i.projectID), "user_id": .string(i.userID),
            "metadata": .object(i.metadata.mapValues { .string($0) }),
            "hostId": .string(i.host.map { MD5.hex(Array("\(i.projectID)\($0)".utf8)) } ?? ""),
            "image": ["id": .string(i.image.id), "links": [["rel": "bookmark", "href": .string("\(baseURL)/compute/images/\(i.image.id)")]]],
            "flavor": ["id": .string(i.flavor.id), "links": [["rel": "bookmark", "href": .string("\(baseURL)/compute/flavors/\(i.flavor.id)")]]],
            "created": .string(OpenStackTime.iso(i.createdAt)), "updated": .string(OpenStackTime.iso(i.updatedAt)),
            "addresses": Self.addresses(addresses), "accessIPv4": "", "accessIPv6": "", "progress": 0, "config_drive": "",
            "key_name": optional(i.keyName),
            "OS-DCF:diskConfig": "MANUAL",
            "OS-EXT-AZ:availability_zone": .string(i.availabilityZone ?? "nova"),
            "OS-EXT-SRV-ATTR:host": optional(i.host),
            "OS-EXT-SRV-ATTR:hypervisor_hostname": optional(i.node),
            "OS-EXT-SRV-ATTR:instance_name": .string(i.instanceName),
            "OS-EXT-STS:vm_state": .string(i.vmState.rawValue),
            "OS-EXT-STS:task_state": optional(i.taskState?.rawValue),
            "OS-EXT-STS:power_state": .int(Int64(i.powerState.rawValue)),
            "OS-SRV-USG:launched_at": optional(i.launchedAt.map(OpenStackTime.nova)),
            "OS-SRV-USG:terminated_at": optional(i.deletedAt.map(OpenStackTime.nova)),
            "os-extended-volumes:volumes_attached": [],
            "security_groups": [["name": "default"]],
        ]
        if let fault, i.vmState == .error || i.vmState == .deleted {
            var f: [String: JSONValue] = [
                "code": .int(Int64(fault.code)), "message": .string(fault.message),
                "created": .string(OpenStackTime.iso(fault.createdAt)),
            ]
            if isAdmin || fault.code != 500 { f["details"] = .string(fault.details) }
            o["fault"] = .object(f)
        }
        return .object(o)
    }
}
