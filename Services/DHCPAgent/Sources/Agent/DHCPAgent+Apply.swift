import Foundation
import Logging
import Messaging
import Schemas

extension DHCPAgent {
    /// Decides and applies each network's dnsmasq action, `numSyncThreads` networks at once.
    /// Failed networks lose their applied state (the next attempt spawns afresh) and are resynced.
    func applyNetworks(_ ids: Set<String>, stopping removed: Set<String>, logger: Logger) async {
        var jobs: [(String, DnsmasqAction, AppliedDnsmasq?)] = []
        for id in ids.union(removed) {
            let previous = applied[id]
            let desired = removed.contains(id) ? nil : networks[id].flatMap { renderer.config(for: $0) }
            var action = DnsmasqAction.decide(applied: previous?.config, running: previous != nil, desired: desired)
            if removed.contains(id) { action = .stop }
            if action != .none { jobs.append((id, action, previous)) }
        }
        guard !jobs.isEmpty else { return }
        let applier = self.applier, limit = options.numSyncThreads
        let results = await withTaskGroup(of: (String, Result<AppliedDnsmasq?, any Error>).self) { group in
            var pending = jobs.makeIterator()
            var out: [(String, Result<AppliedDnsmasq?, any Error>)] = []
            for _ in 0..<limit {
                guard let job = pending.next() else { break }
                group.addTask { await Self.run(job, applier: applier, logger: logger) }
            }
            while let result = await group.next() {
                out.append(result)
                if let job = pending.next() { group.addTask { await Self.run(job, applier: applier, logger: logger) } }
            }
            return out
        }
        var failed: Set<String> = []
        for (id, result) in results {
            switch result {
            case .success(let now):
                applied[id] = now
            case .failure(let error):
                applied[id] = nil
                if !removed.contains(id) { failed.insert(id) }
                logger.error("Cannot configure DHCP for network", metadata: ["network.id": "\(id)", "error": "\(error)"])
            }
        }
        if !failed.isEmpty { scheduleRetry(failed, after: retryDelay()) }
    }

    private static func run(
        _ job: (String, DnsmasqAction, AppliedDnsmasq?), applier: DnsmasqApplier, logger: Logger
    ) async -> (String, Result<AppliedDnsmasq?, any Error>) {
        let (id, action, previous) = job
        var log = logger
        log[metadataKey: "network.id"] = "\(id)"
        do {
            return (id, .success(try await applier.apply(action, networkID: id, previous: previous, logger: log)))
        } catch {
            return (id, .failure(error))
        }
    }

    /// The process monitor: networks whose dnsmasq is gone (or is no longer dnsmasq).
    func deadDnsmasq(logger: Logger) -> Set<String> {
        var dead: Set<String> = []
        for (id, a) in applied {
            let pidFile = DnsmasqPaths(statePath: options.renderer.statePath, networkID: id).pid
            if applier.processes.runningPID(pidFile: pidFile) != a.pid {
                logger.warning("dnsmasq died; respawning", metadata: ["network.id": "\(id)", "dnsmasq.pid": "\(a.pid)"])
                applied[id] = nil
                dead.insert(id)
            }
        }
        return dead
    }

    /// Start-up before cirrus-api answers: serves every network of the agent's database again,
    /// reusing a dnsmasq that still runs with the same command line (rewriting files and
    /// SIGHUP if they differ), and cleans up conf dirs of networks it no longer has.
    public func restore() async throws {
        await serial.wait()
        do {
            try await restoreNow()
        } catch {
            await serial.signal()
            throw error
        }
        await serial.signal()
    }

    private func restoreNow() async throws {
        let (stored, unreadable) = try await store.all()
        for id in unreadable {
            logger.warning("Skipped an unreadable network row", metadata: ["network.id": "\(id)"])
        }
        for served in stored { networks[served.id] = served }
        let files = applier.files, processes = applier.processes
        for served in stored {
            let paths = DnsmasqPaths(statePath: options.renderer.statePath, networkID: served.id)
            guard let desired = renderer.config(for: served), let pid = processes.runningPID(pidFile: paths.pid) else { continue }
            let hostFile = files.read(paths.host) ?? ""
            let observed = DnsmasqConfig(
                interface: desired.interface, commandLine: processes.commandLine(pid: pid) ?? [],
                files: DnsmasqFiles(host: hostFile, addnHosts: files.read(paths.addnHosts) ?? "", opts: files.read(paths.opts) ?? ""),
                hosts: Self.parseHostFile(hostFile), initialLeases: "")
            applied[served.id] = AppliedDnsmasq(config: observed, pid: pid)
        }
        let orphans = Set(Self.confDirectories(statePath: options.renderer.statePath)).subtracting(networks.keys)
        var log = logger
        log[metadataKey: "request.id"] = "\(RequestContext.newRequestID())"
        log.info("Restoring DHCP from the local database", metadata: [
            "networks": "\(stored.count)", "dnsmasq.reused": "\(applied.count)", "networks.orphaned": "\(orphans.count)",
        ])
        await applyNetworks(Set(networks.keys), stopping: orphans, logger: log)
    }

    /// Network ids with a conf dir under `<state_path>/dhcp/`.
    static func confDirectories(statePath: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: statePath + "/dhcp")) ?? []
    }

    /// Reservations of a host file written by ``DnsmasqRenderer`` (for lease release after a restart).
    static func parseHostFile(_ text: String) -> [DnsmasqHostEntry] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 3 else { return nil }
            return DnsmasqHostEntry(portID: "", mac: f[0], ip: f[f.count - 1], hostname: "", fqdn: f[1])
        }
    }
}
