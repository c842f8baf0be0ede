import DHCPAgentService
import Foundation
import Logging
import Messaging
import Schemas
import Synchronization

/// Records what the agent asked of the system, in order.
final class EffectLog: Sendable {
    private let entries = Mutex<[String]>([])
    func add(_ s: String) { entries.withLock { $0.append(s) } }
    var all: [String] { entries.withLock { $0 } }
    func count(_ prefix: String) -> Int { all.filter { $0.hasPrefix(prefix) }.count }
}

struct FakePlumbing: NetworkPlumbing {
    let log: EffectLog
    func ensure(_ spec: DHCPInterfaceSpec, logger: Logger) async throws { log.add("ensure \(spec.networkID)") }
    func teardown(_ spec: DHCPInterfaceSpec, logger: Logger) async throws { log.add("teardown \(spec.networkID)") }
    func removeNamespace(networkID: String, logger: Logger) async throws { log.add("removeNamespace \(networkID)") }
}

/// dnsmasq processes as a table of pid → (pid file, argv).
final class FakeProcesses: DnsmasqProcesses {
    let log: EffectLog
    private let table = Mutex<(next: Int32, running: [Int32: (String, [String])])>((100, [:]))
    init(log: EffectLog) { self.log = log }

    func start(_ commandLine: [String], namespace: String, pidFile: String, logger: Logger) async throws -> Int32 {
        let pid = table.withLock { t in
            t.next += 1
            t.running[t.next] = (pidFile, commandLine)
            return t.next
        }
        log.add("start \(pid)")
        return pid
    }
    func runningPID(pidFile: String) -> Int32? {
        table.withLock { t in t.running.first { $0.value.0 == pidFile }?.key }
    }
    func reload(pid: Int32) throws { log.add("hup \(pid)") }
    func stop(pid: Int32, timeout: Double) async {
        kill(pid)
        log.add("stop \(pid)")
    }
    func release(namespace: String, interface: String, ip: String, mac: String, logger: Logger) async { log.add("release \(mac)") }
    func commandLine(pid: Int32) -> [String]? { table.withLock { $0.running[pid]?.1 } }
    /// Simulates a crash.
    func kill(_ pid: Int32) { _ = table.withLock { $0.running.removeValue(forKey: pid) } }
}

final class MemoryFiles: ConfigFileWriting {
    let log: EffectLog
    private let files = Mutex<[String: String]>([:])
    init(log: EffectLog) { self.log = log }
    func write(_ text: String, to path: String) throws {
        files.withLock { $0[path] = text }
        log.add("write \((path as NSString).lastPathComponent)")
    }
    func read(_ path: String) -> String? { files.withLock { $0[path] } }
    func removeDirectory(_ path: String) throws { files.withLock { $0 = $0.filter { !$0.key.hasPrefix(path + "/") } } }
}

/// An in-memory cirrus-api for the agent: networks by id, DHCP ports created on demand.
final class FakeControl: DHCPControlPlane {
    private let state = Mutex<(networks: [String: NetworkInfo], down: Bool, calls: [String])>(([:], false, []))
    var down: Bool {
        get { state.withLock { $0.down } }
        set { state.withLock { $0.down = newValue } }
    }
    var calls: [String] { state.withLock { $0.calls } }
    func set(_ network: NetworkInfo) { state.withLock { $0.networks[network.id] = network } }
    func remove(_ id: String) { _ = state.withLock { $0.networks.removeValue(forKey: id) } }

    private func check(_ call: String) throws {
        try state.withLock { s in
            s.calls.append(call)
            if s.down { throw DHCPAgentError("conductor down") }
        }
    }
    /// Seconds `get_active_networks_info` takes (a slow or absent cirrus-api).
    var syncDelay: Double {
        get { delay.withLock { $0 } }
        set { delay.withLock { $0 = newValue } }
    }
    private let delay = Mutex<Double>(0)

    func activeNetworks(host: String, context: RequestContext) async throws -> [NetworkInfo] {
        try check("get_active_networks_info")
        if syncDelay > 0 { try await Task.sleep(for: .milliseconds(Int(syncDelay * 1000))) }
        return state.withLock { Array($0.networks.values) }
    }
    func network(_ id: String, context: RequestContext) async throws -> NetworkInfo? {
        try check("get_network_info")
        return state.withLock { $0.networks[id] }
    }
    func createDHCPPort(host: String, networkID: String, context: RequestContext) async throws -> PortInfo {
        try check("create_dhcp_port")
        return try state.withLock { s in
            guard let net = s.networks[networkID] else { throw DHCPAgentError("no network \(networkID)") }
            if let p = net.ports.first(where: { $0.deviceOwner == DeviceOwner.dhcp }) { return p }
            throw DHCPAgentError("fixture network without DHCP port")
        }
    }
    func releaseDHCPPort(host: String, networkID: String, context: RequestContext) async throws {
        try check("release_dhcp_port")
    }
}

/// An agent over fake effects and an in-memory database.
struct AgentHarness {
    let log = EffectLog()
    let control = FakeControl()
    let processes: FakeProcesses
    let files: MemoryFiles
    let store: DHCPAgentStore
    let agent: DHCPAgent

    init(store: DHCPAgentStore? = nil, processes: FakeProcesses? = nil, files: MemoryFiles? = nil) throws {
        self.processes = processes ?? FakeProcesses(log: log)
        self.files = files ?? MemoryFiles(log: log)
        self.store = try store ?? .inMemory()
        var options = DHCPAgent.Options(host: "net1", renderer: Fixture.settings())
        options.bulkReloadInterval = 0
        let applier = DnsmasqApplier(
            plumbing: FakePlumbing(log: log), processes: self.processes, files: self.files, statePath: "/state")
        var logger = Logger(label: "test.dhcp")
        logger.logLevel = .critical
        agent = DHCPAgent(options: options, store: self.store, control: control, applier: applier, logger: logger)
    }

    func send(_ events: AgentEvent...) async {
        await agent.process(events.map { QueuedEvent($0, requestID: "req-test") })
    }
}
