import Foundation
import Logging
import ServiceKit

/// ``DnsmasqProcesses`` on this host: `ip netns exec <ns> dnsmasq …` through the shared
/// ``ProcessRunning``, `/proc/<pid>/cmdline` to recognise its dnsmasq, signals with `kill(2)`.
public struct SystemDnsmasqProcesses: DnsmasqProcesses {
    public let runner: any ProcessRunning
    /// Starts the dnsmasq launcher with stdout on /dev/null: the daemon keeps no pipe of ours,
    /// so the run ends when the launcher exits (stderr still carries its configuration errors).
    private let launcher = ProcessRunner(maximumConcurrent: 8, captureOutput: false)
    /// Whether `dhcp_release` (Debian `dnsmasq-utils`) is installed; without it removed ports'
    /// leases simply expire (their host line is gone, so they are not renewed).
    public let hasDHCPRelease: Bool

    public init(runner: any ProcessRunning) {
        self.runner = runner
        hasDHCPRelease = ["/usr/bin/dhcp_release", "/usr/sbin/dhcp_release", "/bin/dhcp_release"].contains {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    public func start(_ commandLine: [String], namespace: String, pidFile: String, logger: Logger) async throws -> Int32 {
        try? FileManager.default.removeItem(atPath: pidFile)
        do {
            try await launcher.run(["ip", "netns", "exec", namespace] + commandLine, logger: logger)
        } catch let failure as ProcessFailure {
            throw DHCPAgentError(failure.description)
        }
        // dnsmasq writes the pid file before its parent exits; allow a little slack anyway.
        for _ in 0..<50 {
            if let pid = Self.pid(in: pidFile) { return pid }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw DHCPAgentError("dnsmasq started in \(namespace) but wrote no pid to \(pidFile); see its syslog output")
    }

    public func runningPID(pidFile: String) -> Int32? {
        guard let pid = Self.pid(in: pidFile), let argv = commandLine(pid: pid) else { return nil }
        let isDnsmasq = argv.first.map { ($0 as NSString).lastPathComponent.hasPrefix("dnsmasq") } ?? false
        return isDnsmasq && argv.contains("--pid-file=\(pidFile)") ? pid : nil
    }

    public func reload(pid: Int32) throws {
        guard kill(pid, SIGHUP) == 0 else { throw DHCPAgentError("cannot SIGHUP dnsmasq \(pid): errno \(errno)") }
    }

    public func stop(pid: Int32, timeout: Double) async {
        guard kill(pid, SIGTERM) == 0 else { return }
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while ContinuousClock.now < deadline {
            if !Self.alive(pid) { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        kill(pid, SIGKILL)
    }

    public func release(namespace: String, interface: String, ip: String, mac: String, logger: Logger) async {
        guard hasDHCPRelease else { return }
        do {
            try await runner.run(["ip", "netns", "exec", namespace, "dhcp_release", interface, ip, mac], logger: logger)
        } catch {
            logger.warning("Cannot release lease", metadata: ["lease.ip": "\(ip)", "error": "\(error)"])
        }
    }

    public func commandLine(pid: Int32) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }

    static func pid(in file: String) -> Int32? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Alive and not a zombie.
    static func alive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        guard let close = stat.lastIndex(of: ")") else { return false }
        let rest = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces)
        return !rest.hasPrefix("Z")
    }
}

/// An error of the agent; the message says what failed and what to check.
public struct DHCPAgentError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
