import Logging

/// A network's dnsmasq as the agent last started or reloaded it.
public struct AppliedDnsmasq: Sendable, Equatable {
    public var config: DnsmasqConfig
    public var pid: Int32

    public init(config: DnsmasqConfig, pid: Int32) {
        self.config = config
        self.pid = pid
    }
}

/// Carries out a ``DnsmasqAction`` for one network with the effect protocols: the thin I/O
/// part of the agent. Networks are independent, so several run at once.
public struct DnsmasqApplier: Sendable {
    public let plumbing: any NetworkPlumbing
    public let processes: any DnsmasqProcesses
    public let files: any ConfigFileWriting
    public let statePath: String
    /// Seconds dnsmasq gets after SIGTERM before SIGKILL (Neutron: 5).
    public var stopTimeout: Double = 5

    public init(plumbing: any NetworkPlumbing, processes: any DnsmasqProcesses, files: any ConfigFileWriting, statePath: String) {
        self.plumbing = plumbing
        self.processes = processes
        self.files = files
        self.statePath = statePath
    }

    /// Runs `action`; returns what now runs (nil when stopped).
    /// - Throws: what failed; the caller forgets the applied state and resyncs the network.
    public func apply(
        _ action: DnsmasqAction, networkID: String, previous: AppliedDnsmasq?, logger: Logger
    ) async throws -> AppliedDnsmasq? {
        let paths = DnsmasqPaths(statePath: statePath, networkID: networkID)
        switch action {
        case .none:
            return previous
        case .spawn(let config):
            return try await spawn(config, paths: paths, previous: previous, logger: logger)
        case .restart(let config):
            if let previous {
                await processes.stop(pid: previous.pid, timeout: stopTimeout)
                if previous.config.interface.portID != config.interface.portID {
                    try await plumbing.teardown(previous.config.interface, logger: logger)
                }
            }
            let applied = try await spawn(config, paths: paths, previous: nil, logger: logger)
            logger.info("Restarted dnsmasq", metadata: ["dnsmasq.pid": "\(applied.pid)"])
            return applied
        case .reload(let config, let releases):
            guard let previous else { return try await spawn(config, paths: paths, previous: nil, logger: logger) }
            try writeChanged(config.files, old: previous.config.files, paths: paths)
            try processes.reload(pid: previous.pid)
            for entry in releases {
                await processes.release(
                    namespace: config.interface.namespace, interface: config.interface.name, ip: entry.ip, mac: entry.mac,
                    logger: logger)
            }
            logger.debug("Reloaded dnsmasq", metadata: ["dnsmasq.pid": "\(previous.pid)", "dnsmasq.hosts": "\(config.hosts.count)"])
            return AppliedDnsmasq(config: config, pid: previous.pid)
        case .stop:
            if let previous {
                await processes.stop(pid: previous.pid, timeout: stopTimeout)
                try await plumbing.teardown(previous.config.interface, logger: logger)
            } else {
                if let pid = processes.runningPID(pidFile: paths.pid) { await processes.stop(pid: pid, timeout: stopTimeout) }
                try await plumbing.removeNamespace(networkID: networkID, logger: logger)
            }
            try files.removeDirectory(paths.directory)
            logger.info("Stopped serving DHCP on network")
            return nil
        }
    }

    private func spawn(
        _ config: DnsmasqConfig, paths: DnsmasqPaths, previous: AppliedDnsmasq?, logger: Logger
    ) async throws -> AppliedDnsmasq {
        // A dnsmasq still running on this pid file (an earlier agent, a failed reload) goes first.
        if let pid = processes.runningPID(pidFile: paths.pid) { await processes.stop(pid: pid, timeout: stopTimeout) }
        try await plumbing.ensure(config.interface, logger: logger)
        try files.write(config.files.host, to: paths.host)
        try files.write(config.files.addnHosts, to: paths.addnHosts)
        try files.write(config.files.opts, to: paths.opts)
        let leases = config.keepsExistingLeases
            ? DnsmasqLeases.keeping(files.read(paths.leases), reserved: config.hosts) : config.initialLeases
        try files.write(leases, to: paths.leases)
        let pid = try await processes.start(config.commandLine, namespace: config.interface.namespace, pidFile: paths.pid, logger: logger)
        logger.info("Started dnsmasq", metadata: ["dnsmasq.pid": "\(pid)", "dnsmasq.hosts": "\(config.hosts.count)"])
        return AppliedDnsmasq(config: config, pid: pid)
    }

    private func writeChanged(_ new: DnsmasqFiles, old: DnsmasqFiles, paths: DnsmasqPaths) throws {
        if new.host != old.host { try files.write(new.host, to: paths.host) }
        if new.addnHosts != old.addnHosts { try files.write(new.addnHosts, to: paths.addnHosts) }
        if new.opts != old.opts { try files.write(new.opts, to: paths.opts) }
    }
}
