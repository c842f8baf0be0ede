import Foundation
import Logging
import Messaging
import Schemas

extension DHCPAgent {
    /// `sync_state`: one `get_active_networks_info`, then the cache becomes exactly the active
    /// networks. Returns nil (and schedules a retry with backoff) when cirrus-api does not answer.
    ///
    /// `fetched` is the answer, asked for before the batch took the processing lock (so the
    /// process monitor is not held up by a slow or absent cirrus-api).
    func syncState(
        _ fetched: Result<[NetworkInfo], any Error>, logger: Logger
    ) async -> (active: Set<String>, dirty: Set<String>, removed: Set<String>)? {
        let start = ContinuousClock.now
        let active: [NetworkInfo]
        do {
            active = try fetched.get()
        } catch {
            syncFailures += 1
            synced = false
            let delay = retryDelay()
            logger.warning("Cannot sync networks; serving from the local database", metadata: [
                "error": "\(error)", "retry.seconds": "\(delay)",
            ])
            scheduleRetry(nil, after: delay)
            return nil
        }
        syncFailures = 0
        synced = true
        var ids: Set<String> = [], dirty: Set<String> = []
        for info in active {
            let before = networks[info.id]
            var served = before ?? ServedNetwork(network: info)
            served.network = info
            if let port = served.dhcpPort { served.dhcpPort = info.ports.first { $0.id == port.id } }
            if served != before { dirty.insert(info.id) }
            networks[info.id] = served
            ids.insert(info.id)
        }
        let removed = Set(networks.keys).subtracting(ids)
        for id in removed { networks[id] = nil }
        coalescer.forgetDeleted()
        logger.info("Synced networks", metadata: [
            "networks.active": "\(ids.count)", "networks.changed": "\(dirty.count)", "networks.removed": "\(removed.count)",
            "duration.ms": "\((ContinuousClock.now - start).wholeMilliseconds)",
        ])
        return (ids, dirty, removed)
    }

    /// Re-reads the listed networks (`get_network_info`); on failure, retries later.
    func refresh(_ ids: Set<String>, logger: Logger) async -> (changed: Set<String>, removed: Set<String>) {
        var changed: Set<String> = [], removed: Set<String> = [], failed: Set<String> = []
        for id in ids {
            do {
                if let info = try await control.network(id, context: .service("cirrus-dhcp-agent")) {
                    var served = networks[id] ?? ServedNetwork(network: info)
                    served.network = info
                    if let port = served.dhcpPort { served.dhcpPort = info.ports.first { $0.id == port.id } }
                    networks[id] = served
                    changed.insert(id)
                } else if networks[id] != nil {
                    networks[id] = nil
                    removed.insert(id)
                }
            } catch {
                failed.insert(id)
            }
        }
        if !failed.isEmpty {
            logger.warning("Cannot read networks; retrying", metadata: ["networks": "\(failed.sorted())"])
            scheduleRetry(failed, after: retryDelay())
        }
        return (changed, removed)
    }

    /// Creates (idempotently) the DHCP port of networks that need DHCP and have none; releases
    /// the port of networks that no longer need DHCP. Returns the networks it changed.
    func ensureDHCPPorts(_ ids: Set<String>, logger: Logger) async -> Set<String> {
        let missing = ids.filter { networks[$0].map { $0.needsDHCP && $0.dhcpPort == nil } ?? false }
        let unneeded = ids.filter { networks[$0].map { !$0.needsDHCP && $0.dhcpPort != nil } ?? false }
        var changed: Set<String> = []
        for id in unneeded {
            networks[id]?.dhcpPort = nil
            changed.insert(id)
            await releasePort(id, logger: logger)
        }
        guard !missing.isEmpty else { return changed }
        let control = self.control, host = options.host, limit = options.numSyncThreads
        let created = await withTaskGroup(of: (String, PortInfo?).self) { group in
            var pending = missing.makeIterator()
            var out: [(String, PortInfo?)] = []
            func create(_ id: String) async -> (String, PortInfo?) {
                (id, try? await control.createDHCPPort(host: host, networkID: id, context: .service("cirrus-dhcp-agent")))
            }
            for _ in 0..<limit {
                guard let id = pending.next() else { break }
                group.addTask { await create(id) }
            }
            while let result = await group.next() {
                out.append(result)
                if let id = pending.next() { group.addTask { await create(id) } }
            }
            return out
        }
        var failed: Set<String> = []
        for (id, port) in created {
            if let port {
                if networks[id] != nil {
                    networks[id]?.dhcpPort = port
                    changed.insert(id)
                }
            } else {
                failed.insert(id)
            }
        }
        if !failed.isEmpty {
            logger.warning("Cannot create DHCP ports; retrying", metadata: ["networks": "\(failed.sorted())"])
            scheduleRetry(failed, after: retryDelay())
        }
        return changed
    }

    func releasePort(_ id: String, logger: Logger) async {
        do {
            try await control.releaseDHCPPort(host: options.host, networkID: id, context: .service("cirrus-dhcp-agent"))
        } catch {
            logger.debug("Cannot release DHCP port", metadata: ["network.id": "\(id)", "error": "\(error)"])
        }
    }

    func retryDelay() -> Double {
        min(options.maximumRetryDelay, options.resyncThrottle * pow(2, Double(max(0, syncFailures - 1))))
    }

    /// Queues a resync of `ids` (nil: full) after `delay` seconds; retries already pending merge.
    func scheduleRetry(_ ids: Set<String>?, after delay: Double) {
        if let ids { retryIDs.formUnion(ids) } else { retryFull = true }
        guard retryTask == nil else { return }
        retryTask = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            await self?.fireRetry()
        }
    }

    private func fireRetry() {
        retryTask = nil
        inbox.push(.resync(networks: retryFull ? nil : retryIDs), requestID: RequestContext.newRequestID())
        retryFull = false
        retryIDs = []
    }
}

extension Duration {
    /// Whole milliseconds, for log metadata.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
