import Logging

/// The DHCP port's plumbing (namespace, bridge, veth, addresses). Idempotent.
public protocol NetworkPlumbing: Sendable {
    /// Creates what is missing and fixes what differs; touches only the names in `spec`.
    func ensure(_ spec: DHCPInterfaceSpec, logger: Logger) async throws
    /// Removes the veth and the namespace (and the bridge when nothing else is plugged in).
    func teardown(_ spec: DHCPInterfaceSpec, logger: Logger) async throws
    /// Removes namespace `qdhcp-<networkID>` when the agent no longer knows its port.
    func removeNamespace(networkID: String, logger: Logger) async throws
}

/// dnsmasq processes: start in a namespace, signal, stop, check, release leases.
public protocol DnsmasqProcesses: Sendable {
    /// Starts `commandLine` inside `namespace` (it daemonizes) and returns the pid it wrote to `pidFile`.
    func start(_ commandLine: [String], namespace: String, pidFile: String, logger: Logger) async throws -> Int32
    /// The pid in `pidFile` when that process is alive and is the dnsmasq using that pid file.
    func runningPID(pidFile: String) -> Int32?
    /// SIGHUP: re-read hosts and options files.
    func reload(pid: Int32) throws
    /// SIGTERM, then SIGKILL after `timeout` seconds.
    func stop(pid: Int32, timeout: Double) async
    /// Tells dnsmasq the lease of `ip`/`mac` is gone (`dhcp_release`), best effort.
    func release(namespace: String, interface: String, ip: String, mac: String, logger: Logger) async
    /// The running command line of `pid` (`/proc/<pid>/cmdline`).
    func commandLine(pid: Int32) -> [String]?
}

/// Writes configuration files atomically (temp file + rename).
public protocol ConfigFileWriting: Sendable {
    func write(_ text: String, to path: String) throws
    func read(_ path: String) -> String?
    func removeDirectory(_ path: String) throws
}
