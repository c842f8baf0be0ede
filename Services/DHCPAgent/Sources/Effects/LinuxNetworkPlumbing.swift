import Foundation
import Logging
import ServiceKit

/// ``NetworkPlumbing`` with `ip`: namespace `qdhcp-<net>`, bridge `brq<net[:11]>` (created
/// if compute has not), veth `tap…` (in the bridge) / `ns-…` (in the namespace) with the
/// port's MAC and addresses. Reads before it writes, tolerates links another process made
/// meanwhile, and never touches a link it was not named (the uplink only when mapped).
public struct LinuxNetworkPlumbing: NetworkPlumbing {
    public let runner: any ProcessRunning

    public init(runner: any ProcessRunning) {
        self.runner = runner
    }

    public func ensure(_ spec: DHCPInterfaceSpec, logger: Logger) async throws {
        let ns = spec.namespace
        if !FileManager.default.fileExists(atPath: "/run/netns/\(ns)") {
            // A new network: everything in two `ip -batch` runs instead of ~15 commands.
            do {
                try await createFresh(spec, logger: logger)
                try await ensureUplink(spec, logger: logger)
                return
            } catch {
                logger.debug("Batch plumbing failed; checking link by link", metadata: ["error": "\(error)"])
            }
        }
        if !FileManager.default.fileExists(atPath: "/run/netns/\(ns)") {
            try await tolerating("File exists") { try await ip(["netns", "add", ns], logger) }
        }
        var bridge = try await link(spec.bridge, namespace: nil, logger)
        if bridge == nil {
            try await tolerating("File exists") { try await ip(["link", "add", spec.bridge, "type", "bridge"], logger) }
            bridge = try await link(spec.bridge, namespace: nil, logger)
        }
        if bridge?.isUp != true { try await ip(["link", "set", spec.bridge, "up"], logger) }
        try await ensureUplink(spec, logger: logger)
        var tap = try await link(spec.tap, namespace: nil, logger)
        let inside = try await link(spec.name, namespace: ns, logger)
        if tap == nil || inside == nil {
            if tap != nil { try await tolerating("Cannot find") { try await ip(["link", "del", spec.tap], logger) } }
            try await ip(
                ["link", "add", spec.tap, "mtu", "\(spec.mtu)", "type", "veth", "peer", "name", spec.name, "mtu", "\(spec.mtu)",
                 "netns", ns], logger)
            tap = nil
        }
        if tap?.master != spec.bridge { try await ip(["link", "set", spec.tap, "master", spec.bridge], logger) }
        if tap?.isUp != true { try await ip(["link", "set", spec.tap, "up"], logger) }
        try await ip(["-n", ns, "link", "set", spec.name, "address", spec.mac, "mtu", "\(spec.mtu)", "up"], logger)
        try await ip(["-n", ns, "link", "set", "lo", "up"], logger)
        let current = Self.parseAddresses(try await ip(["-n", ns, "-j", "addr", "show", "dev", spec.name], logger))
        for a in current where !spec.addresses.contains(a) {
            try await ip(["-n", ns, "addr", "del", a, "dev", spec.name], logger)
        }
        for a in spec.addresses where !current.contains(a) {
            try await ip(["-n", ns, "addr", "add", a, "dev", spec.name], logger)
        }
    }

    /// Namespace, bridge (if missing), veth with MAC, addresses: for a namespace that does not exist yet.
    private func createFresh(_ spec: DHCPInterfaceSpec, logger: Logger) async throws {
        let bridge = try await link(spec.bridge, namespace: nil, logger)
        var root = ["netns add \(spec.namespace)"]
        if bridge == nil { root.append("link add \(spec.bridge) type bridge") }
        if bridge?.isUp != true { root.append("link set \(spec.bridge) up") }
        root += [
            "link add \(spec.tap) mtu \(spec.mtu) type veth peer name \(spec.name) mtu \(spec.mtu)",
            "link set \(spec.name) address \(spec.mac)",
            "link set \(spec.name) netns \(spec.namespace)",
            "link set \(spec.tap) master \(spec.bridge)",
            "link set \(spec.tap) up",
        ]
        let inside = ["link set lo up", "link set \(spec.name) up"] + spec.addresses.map { "addr add \($0) dev \(spec.name)" }
        try await batch(root, namespace: nil, logger)
        try await batch(inside, namespace: spec.namespace, logger)
    }

    private func batch(_ lines: [String], namespace: String?, _ logger: Logger) async throws {
        let file = NSTemporaryDirectory() + "cirrus-ip-batch-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: file, contents: Data((lines.joined(separator: "\n") + "\n").utf8)) else {
            throw DHCPAgentError("cannot write \(file)")
        }
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await ip((namespace.map { ["-n", $0] } ?? []) + ["-batch", file], logger)
    }

    /// Enslaves the mapped uplink (only that interface, only when it exists).
    private func ensureUplink(_ spec: DHCPInterfaceSpec, logger: Logger) async throws {
        guard let uplink = spec.uplink, let state = try await link(uplink, namespace: nil, logger) else { return }
        if state.master != spec.bridge { try await ip(["link", "set", uplink, "master", spec.bridge], logger) }
        if !state.isUp { try await ip(["link", "set", uplink, "up"], logger) }
    }

    public func teardown(_ spec: DHCPInterfaceSpec, logger: Logger) async throws {
        try await tolerating("Cannot find") { try await ip(["link", "del", spec.tap], logger) }
        try await removeNamespace(networkID: spec.networkID, logger: logger)
        // The bridge goes when nothing but (at most) the mapped uplink is left in it.
        let members = Self.parseNames(
            (try? await ip(["-j", "link", "show", "master", spec.bridge], logger)) ?? "[]")
        if try await link(spec.bridge, namespace: nil, logger) != nil, members.allSatisfy({ $0 == spec.uplink }) {
            try await tolerating("Cannot find") { try await ip(["link", "del", spec.bridge], logger) }
        }
    }

    public func removeNamespace(networkID: String, logger: Logger) async throws {
        let ns = DHCPNames.namespace(networkID)
        guard FileManager.default.fileExists(atPath: "/run/netns/\(ns)") else { return }
        try await tolerating("No such file") { try await ip(["netns", "del", ns], logger) }
    }

    @discardableResult
    private func ip(_ args: [String], _ logger: Logger) async throws -> String {
        try await runner.run(["ip"] + args, logger: logger)
    }

    private func link(_ name: String, namespace: String?, _ logger: Logger) async throws -> LinkInfo? {
        do {
            let ns = namespace.map { ["-n", $0] } ?? []
            return LinkInfo.parse(try await ip(ns + ["-j", "link", "show", "dev", name], logger))
        } catch let f as ProcessFailure where f.exitStatus != nil && f.stderr.contains("does not exist") {
            return nil
        }
    }

    private func tolerating(_ text: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let f as ProcessFailure where f.stderr.contains(text) {
            return
        }
    }

    /// `ip/prefix` of the global IPv4 addresses in `ip -j addr show` output.
    static func parseAddresses(_ json: String) -> [String] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else { return [] }
        var out: [String] = []
        for link in list {
            for info in link["addr_info"] as? [[String: Any]] ?? [] where info["family"] as? String == "inet" {
                if let local = info["local"] as? String, let len = (info["prefixlen"] as? NSNumber)?.intValue {
                    out.append("\(local)/\(len)")
                }
            }
        }
        return out
    }

    static func parseNames(_ json: String) -> [String] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else { return [] }
        return list.compactMap { $0["ifname"] as? String }
    }
}

/// The parts of `ip -j link show dev <name>` the plumbing looks at.
struct LinkInfo: Sendable, Equatable {
    var name: String
    var master: String?
    var isUp: Bool

    static func parse(_ json: String) -> LinkInfo? {
        guard let list = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]],
              let first = list.first, let name = first["ifname"] as? String else { return nil }
        let flags = first["flags"] as? [String] ?? []
        return LinkInfo(name: name, master: first["master"] as? String, isUp: flags.contains("UP"))
    }
}
