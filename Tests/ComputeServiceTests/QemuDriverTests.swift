import ComputeService
import Foundation
import Schemas
import ServiceKit
import Testing

/// A real qemu (TCG, 64 MiB, no guest OS: a qcow2 overlay over a tiny raw base) driven through
/// the manager, with a real bridge and tap. Root only; everything is removed, also on failure.
@Suite("qemu driver with a real qemu (root)", .enabled(if: HostCapabilities.canRunQemu, "needs root, iproute2, /dev/net/tun, qemu-system-x86_64 and qemu-img"))
struct QemuDriverTests {
    struct Harness {
        let root: String
        let statePath: String
        let store: ComputeStore
        let control = RecordingControlPlane()
        let runner = ProcessRunner()
        let plugger: LinuxBridgePlugger

        init() throws {
            // Short: the QMP socket path must fit a UNIX socket address.
            root = "/tmp/cq-" + HostCapabilities.uniqueHex(8)
            statePath = root + "/s"
            try FileManager.default.createDirectory(atPath: statePath, withIntermediateDirectories: true)
            store = try ComputeStore.open(statePath: statePath)
            plugger = LinuxBridgePlugger(runner: runner, mappings: PhysicalInterfaceMappings())
        }

        /// A manager with a fresh qemu driver over the same state (a "restart" makes another).
        func manager() throws -> (ComputeManager, QemuDriver) {
            var o = QemuDriver.Options()
            o.virtType = "qemu"
            o.shutdownTimeout = 1
            let paths = InstancePaths(statePath: statePath)
            let driver = try QemuDriver(options: o, store: store, paths: paths)
            let images = ImageCache(
                downloadDirectory: paths.baseDirectory, source: StubImageSource(), verifier: ImageVerifier(runner: runner))
            let m = ComputeManager(
                host: "qnode", store: store, driver: driver, images: images, overlay: OverlayDisk(runner: runner), paths: paths,
                control: control, vifs: plugger, logger: quietLogger)
            return (m, driver)
        }

        /// Kills every qemu of `uuid`, removes the links and the directory.
        func cleanUp(uuid: String, nic: NetworkInterfaceSpec) async {
            for pid in qemuPIDs(uuid: uuid) { kill(pid, SIGKILL) }
            for link in [nic.tapName, nic.bridgeName] {
                _ = try? await runner.run(["ip", "link", "del", "dev", link], logger: quietLogger)
            }
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    /// Live processes whose command line is a qemu of `uuid`.
    static func qemuPIDs(uuid: String) -> [Int32] { qemuPIDsOf(uuid) }

    @Test("spawn, console, VNC, stop (powerdown then hard), start, hard reboot, death detection, re-attach, delete")
    func lifecycle() async throws {
        let h = try Harness()
        var instance = sampleInstance(uuid: UUID().uuidString.lowercased())
        instance.flavor = FlavorSpec(id: "t", name: "t.qemu", vcpus: 1, memoryMB: 64, rootGB: 1)
        instance.networks = [NetworkInterfaceSpec(
            portID: HostCapabilities.uniqueHex() + "-p", networkID: HostCapabilities.uniqueHex() + "-n", networkName: "t",
            macAddress: "fa:16:3e:12:34:56", fixedIPs: [], mtu: 1500)]
        let nic = instance.networks[0], uuid = instance.uuid
        do {
            try await run(h, instance)
        } catch {
            await h.cleanUp(uuid: uuid, nic: nic)
            throw error
        }
        await h.cleanUp(uuid: uuid, nic: nic)
    }

    private func run(_ h: Harness, _ instance: InstanceSpec) async throws {
        let uuid = instance.uuid, nic = instance.networks[0]
        let (manager, _) = try h.manager()
        let paths = manager.paths
        h.control.setRemote([HostInstance(uuid: uuid, vmState: .active)])
        try await manager.initHost()
        try await manager.buildAndRunInstance(buildArgs(instance), context: testContext, logger: quietLogger)
        let built = try #require(h.control.updates(for: uuid).last)
        #expect(built.vmState == .active && built.powerState == .running, "build failed: \(built.event?.traceback ?? "")")

        // The process runs the domain: args as rendered, QMP running, console file, VNC on 127.0.0.1.
        let pid = try #require(QemuProcess.livePID(pidFile: paths.qemuPidFile(uuid: uuid), uuid: uuid))
        let args = QemuProcess.arguments(pid: pid)
        #expect(args.contains("guest=\(instance.domainName),debug-threads=on") && args.contains("tcg"))
        #expect(args.contains { $0.hasPrefix("tap,id=hostnet0,ifname=\(nic.tapName),") })
        #expect(args.contains("virtio-net-pci,netdev=hostnet0,id=net0,mac=fa:16:3e:12:34:56,host_mtu=1500"))
        #expect(try await QMPClient(socketPath: paths.qmpSocket(uuid: uuid)).status() == "running")
        #expect(FileManager.default.fileExists(atPath: paths.consoleLog(uuid: uuid)))
        let vnc = try await manager.getVNCConsole(
            InstanceActionArguments(instanceUUID: uuid, actionRequestID: "req-vnc"), logger: quietLogger)
        #expect(vnc.host == "127.0.0.1" && vnc.url == "vnc://127.0.0.1:\(vnc.port)" && vnc.port >= 5900)
        #expect(tcpBanner(port: vnc.port).hasPrefix("RFB "))
        let xml = try String(contentsOfFile: paths.domainXML(uuid: uuid), encoding: .utf8)
        #expect(xml.contains("<graphics type='vnc' port='\(vnc.port)' autoport='no' listen='127.0.0.1'/>"))
        _ = try await manager.getConsoleOutput(ConsoleOutputArguments(instanceUUID: uuid, lines: 10), logger: quietLogger)
        #expect(try await h.plugger.link(nic.tapName, logger: quietLogger)?.master == nic.bridgeName)

        // Stop: the guest (no OS) ignores ACPI, so qemu is killed after the 1 s timeout.
        let action = InstanceActionArguments(instanceUUID: uuid, actionRequestID: "req-action")
        try await manager.stopInstance(action, context: testContext, logger: quietLogger)
        #expect(QemuProcess.livePID(pidFile: paths.qemuPidFile(uuid: uuid), uuid: uuid) == nil)
        #expect(h.control.updates(for: uuid).last.map { ($0.vmState, $0.powerState) }! == (.stopped, .shutdown))

        try await manager.startInstance(action, context: testContext, logger: quietLogger)
        let started = try #require(QemuProcess.livePID(pidFile: paths.qemuPidFile(uuid: uuid), uuid: uuid))
        #expect(h.control.updates(for: uuid).last.map { ($0.vmState, $0.powerState) }! == (.active, .running))

        try await manager.rebootInstance(
            RebootInstanceArguments(instanceUUID: uuid, rebootType: .hard, actionRequestID: "req-reboot"), context: testContext,
            logger: quietLogger)
        let rebooted = try #require(QemuProcess.livePID(pidFile: paths.qemuPidFile(uuid: uuid), uuid: uuid))
        #expect(rebooted != started && Self.qemuPIDs(uuid: uuid) == [rebooted])

        // A qemu that dies is found SHUTDOWN and the instance reported stopped.
        kill(rebooted, SIGKILL)
        try await waitUntil { QemuProcess.livePID(pidFile: paths.qemuPidFile(uuid: uuid), uuid: uuid) == nil }
        await manager.syncPowerStates()
        #expect(h.control.updates(for: uuid).last.map { ($0.vmState, $0.powerState) }! == (.stopped, .shutdown))
        #expect(try await h.store.instance(uuid)?.state == .stopped)

        // A restarted compute re-attaches to the running qemu and starts no second one.
        try await manager.startInstance(action, context: testContext, logger: quietLogger)
        let running = try #require(QemuProcess.livePID(pidFile: paths.qemuPidFile(uuid: uuid), uuid: uuid))
        let (restarted, newDriver) = try h.manager()
        try await restarted.initHost()
        #expect(await newDriver.instanceInfo(uuid: uuid)?.powerState == .running)
        #expect(Self.qemuPIDs(uuid: uuid) == [running])

        // Delete: no process, no tap, no directory.
        try await restarted.terminateInstance(action, context: testContext, logger: quietLogger)
        #expect(Self.qemuPIDs(uuid: uuid).isEmpty)
        #expect(try await h.plugger.link(nic.tapName, logger: quietLogger) == nil)
        #expect(!FileManager.default.fileExists(atPath: paths.directory(uuid: uuid)))
        #expect(await newDriver.instanceInfo(uuid: uuid) == nil)
        #expect(h.control.portStatuses.suffix(1) == ["\(nic.portID)=DOWN"])
    }
}

/// Live qemu processes (not zombies) started with `-uuid <uuid>`.
func qemuPIDsOf(_ uuid: String) -> [Int32] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap(Int32.init).filter { pid in
        let cmd = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return QemuProcess.isLive(stat: stat) && QemuProcess.commandLine([UInt8](cmd), isQemuOf: uuid)
    }.sorted()
}

/// The first bytes a TCP server on 127.0.0.1:`port` sends ("" when none).
func tcpBanner(port: Int) -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var tv = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else { return "" }
    var buf = [UInt8](repeating: 0, count: 12)
    let n = read(fd, &buf, 12)
    return n > 0 ? String(decoding: buf[..<n], as: UTF8.self) : ""
}

/// Polls `condition` (every 50 ms, at most 5 s): for a process's exit, not for timing.
func waitUntil(_ condition: () -> Bool) async throws {
    for _ in 0..<100 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
    #expect(condition())
}
