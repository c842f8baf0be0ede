import Foundation
import Logging
import Schemas

extension QemuDriver {
    /// The instance's live qemu pid, or nil.
    func livePID(_ uuid: String) -> Int32? {
        QemuProcess.livePID(pidFile: paths.qemuPidFile(uuid: uuid), uuid: uuid)
    }

    func qmp(_ uuid: String) -> QMPClient {
        QMPClient(socketPath: paths.qmpSocket(uuid: uuid), timeout: options.qmpTimeout)
    }

    /// Starts qemu for a known domain (no-op when its guest is up): keeps its VNC port when
    /// free, else takes the first free display; rewrites `libvirt.xml`, records the domain,
    /// runs qemu (which returns once daemonized, QMP and VNC listening) and checks QMP.
    func start(_ uuid: String, logger: Logger) async throws {
        guard var domain = domains[uuid] else { throw ComputeDriverError("qemu driver has no instance \(uuid)") }
        if livePID(uuid) != nil {
            if QemuPowerState.isGuestUp(status: try? await qmp(uuid).status()) { return }
            await kill(uuid, logger: logger)
        }
        let qmpPath = paths.qmpSocket(uuid: uuid), pidFile = paths.qemuPidFile(uuid: uuid)
        guard qmpPath.utf8.count < 108 else {
            throw ComputeDriverError("QMP socket path \(qmpPath) is too long for a UNIX socket: use a shorter [DEFAULT] state_path")
        }
        for path in [qmpPath, pidFile] { try? FileManager.default.removeItem(atPath: path) }
        // Pick the display with no suspension point in between, so concurrent starts differ.
        let taken = Set(domains.filter { $0.key != uuid }.compactMap { $0.value.vncPort })
        let listen = domain.vncListen
        if let port = domain.vncPort, !taken.contains(port), PortProbe.isFree(host: listen, port: port) {
            // keep it
        } else {
            guard let display = VNCDisplayAllocator.firstFree(
                taken: Set(taken.map { $0 - VNCDisplayAllocator.basePort }), limit: options.vncDisplays,
                isPortFree: { PortProbe.isFree(host: listen, port: $0) })
            else {
                throw ComputeDriverError("no free VNC display on \(listen) among \(options.vncDisplays): free ports from 5900")
            }
            domain.vncPort = VNCDisplayAllocator.basePort + display
        }
        domains[uuid] = domain
        try domain.renderXML().write(toFile: paths.domainXML(uuid: uuid), atomically: true, encoding: .utf8)
        try await store.saveQemuDomain(domain)
        let runtime = DomainDefinition.QemuRuntime(
            binary: options.binary, qmpSocketPath: qmpPath, pidFilePath: pidFile, vhostNet: vhostNet,
            diskCache: HostCapacity.supportsDirectIO(domain.diskPath) ? "none" : "writethrough")
        do {
            try await QemuLauncher.launch(domain.qemuArguments(runtime), logPath: paths.qemuLog(uuid: uuid), logger: logger)
        } catch {
            throw ComputeDriverError("qemu did not start: \(error)")
        }
        guard let pid = livePID(uuid) else { throw ComputeDriverError("qemu started but \(pidFile) names no live qemu") }
        let status = try await qmp(uuid).status()
        logger.info("qemu started", metadata: [
            "pid": "\(pid)", "qmp.status": "\(status)", "vnc.port": "\(domain.vncPort ?? 0)", "accel": "\(domain.domainType)",
        ])
    }

    /// Asks the guest to power off (ACPI through QMP `system_powerdown`) and waits up to the
    /// shutdown timeout for qemu to exit or report `shutdown`. True when it did (or no qemu runs).
    func shutdownGracefully(_ uuid: String, logger: Logger) async -> Bool {
        guard livePID(uuid) != nil else { return true }
        do {
            try await qmp(uuid).execute("system_powerdown")
        } catch {
            logger.warning("Cannot ask the guest to power off", metadata: ["error": "\(error)"])
            return false
        }
        let deadline = ContinuousClock.now + .milliseconds(Int(options.shutdownTimeout * 1000))
        while ContinuousClock.now < deadline {
            if livePID(uuid) == nil { return true }
            if let status = try? await qmp(uuid).status(), QemuPowerState.from(status: status) == .shutdown { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// Ends the instance's qemu (SIGKILL) and waits until it is gone; no-op without one.
    func kill(_ uuid: String, logger: Logger) async {
        guard let pid = livePID(uuid) else { return }
        _ = Foundation.kill(pid, SIGKILL)
        for _ in 0..<100 where livePID(uuid) != nil {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if livePID(uuid) != nil {
            logger.error("qemu survived SIGKILL for 5 s", metadata: ["pid": "\(pid)"])
        } else {
            logger.info("qemu stopped", metadata: ["pid": "\(pid)"])
        }
    }
}
