import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Real namespaces for the root-only tests: a `qdhcp-`-style namespace holding a bridge with
/// the subnet's DHCP address and 169.254.169.254/32, and "instance" namespaces on veths into
/// that bridge with a static address and a /32 route to the metadata address. Names are
/// unique per run; ``destroy()`` removes everything (deleting a namespace removes its links).
final class NamespaceLab: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let tag: String
    let networkID: String
    var dhcpNamespace: String { "qdhcp-\(networkID)" }
    private(set) var namespaces: [String] = []

    /// nil (with the reason) when the machine cannot run it.
    static func unavailableReason() -> String? {
        if getuid() != 0 { return "needs root for network namespaces" }
        for tool in ["/usr/sbin/ip", "/usr/bin/curl"] where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is missing"
        }
        return nil
    }

    init() throws {
        tag = String(UUID().uuidString.lowercased().prefix(6))
        networkID = "mdt\(tag)"
        try Self.run(["ip", "netns", "add", dhcpNamespace])
        namespaces.append(dhcpNamespace)
        let ns = dhcpNamespace
        try Self.run(["ip", "-n", ns, "link", "set", "lo", "up"])
        try Self.run(["ip", "-n", ns, "link", "add", "br0", "type", "bridge"])
        try Self.run(["ip", "-n", ns, "addr", "add", "10.77.0.2/24", "dev", "br0"])
        try Self.run(["ip", "-n", ns, "addr", "add", "169.254.169.254/32", "dev", "br0"])
        try Self.run(["ip", "-n", ns, "link", "set", "br0", "up"])
    }

    /// An instance namespace with `ip`/24 on eth0, a /32 route to 169.254.169.254 via the DHCP
    /// address (what DHCP option 121 gives); returns its name.
    @discardableResult
    func addInstance(_ index: Int, ip: String) throws -> String {
        let name = "mdi\(tag)\(index)"
        try Self.run(["ip", "netns", "add", name])
        namespaces.append(name)
        try Self.run(["ip", "-n", dhcpNamespace, "link", "add", "v\(index)", "type", "veth", "peer", "name", "eth0", "netns", name])
        try Self.run(["ip", "-n", dhcpNamespace, "link", "set", "v\(index)", "master", "br0", "up"])
        try Self.run(["ip", "-n", name, "link", "set", "lo", "up"])
        try Self.run(["ip", "-n", name, "addr", "add", "\(ip)/24", "dev", "eth0"])
        try Self.run(["ip", "-n", name, "link", "set", "eth0", "up"])
        try Self.run(["ip", "-n", name, "route", "add", "169.254.169.254/32", "via", "10.77.0.2"])
        return name
    }

    /// curl inside `namespace`; returns (HTTP status, body).
    func curl(in namespace: String, _ url: String, headers: [String] = []) throws -> (Int, String) {
        var args = ["ip", "netns", "exec", namespace, "curl", "-s", "-m", "10", "-w", "\n%{http_code}"]
        for h in headers { args += ["-H", h] }
        let out = try Self.run(args + [url])
        guard let nl = out.lastIndex(of: "\n"), let code = Int(out[out.index(after: nl)...]) else {
            throw Failure(description: "curl printed no status: \(out)")
        }
        return (code, String(out[..<nl]))
    }

    func destroy() {
        for ns in namespaces.reversed() { _ = try? Self.run(["ip", "netns", "delete", ns]) }
        namespaces.removeAll()
    }

    deinit { destroy() }

    @discardableResult
    static func run(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "\(args.joined(separator: " ")) failed (\(p.terminationStatus)): \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
