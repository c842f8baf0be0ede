import ServiceKit
import ComputeService
import Foundation
import Logging
import Messaging
import Schemas
import Synchronization

let quietLogger = Logger(label: "compute-tests") { _ in SwiftLogNoOpLogHandler() }

/// A fresh directory under /tmp, removed by `remove()`.
struct TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "cirrus-compute-tests-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Bytes served for every image, with their MD5 (`printf 'cirrus image bytes' | md5sum`).
let imageBytes = Data("cirrus image bytes".utf8)
let imageMD5 = "04563421bb4db9a768693731c19b660a"

func sampleImage(id: String = "9b7c2d1e-0000-4000-8000-000000000001", md5: String? = nil) -> ImageSpec {
    ImageSpec(id: id, name: "cirros", checksum: md5, size: Int64(imageBytes.count), diskFormat: "raw")
}

func sampleInstance(uuid: String = "3f1d6c9e-1111-4222-8333-444455556666", name: String = "demo", internalID: Int = 42) -> InstanceSpec {
    InstanceSpec(
        uuid: uuid, internalID: internalID, name: name, hostname: name, projectID: "p1", userID: "u1",
        flavor: FlavorSpec(id: "1", name: "m1.tiny", vcpus: 1, memoryMB: 512, rootGB: 1),
        image: sampleImage(),
        networks: [NetworkInterfaceSpec(
            portID: "0123456789abcdef", networkID: "fedcba9876543210", networkName: "public",
            macAddress: "fa:16:3e:00:00:01", fixedIPs: ["10.0.0.5"])])
}

func buildArgs(_ instance: InstanceSpec, alternates: [Selection] = [], attempt: Int = 1) -> BuildAndRunInstanceArguments {
    BuildAndRunInstanceArguments(
        instance: instance, spec: RequestSpec(projectID: instance.projectID, flavor: instance.flavor, image: instance.image),
        alternates: alternates, attempt: attempt, actionRequestID: "req-create")
}

let testContext = RequestContext(requestID: "req-test", userID: "u1", projectID: "p1")

/// An image source that writes `bytes` after an optional pause and counts downloads.
final class StubImageSource: ImageSource {
    let bytes: Data
    let pause: Duration
    private let count = Mutex(0)
    init(bytes: Data = imageBytes, pause: Duration = .zero) {
        self.bytes = bytes
        self.pause = pause
    }
    var downloads: Int { count.withLock { $0 } }
    func download(_ image: ImageSpec, to path: String, context: RequestContext, logger: Logger) async throws {
        count.withLock { $0 += 1 }
        if pause > .zero { try await Task.sleep(for: pause) }
        guard FileManager.default.createFile(atPath: path, contents: bytes) else { throw ImageFetchError("cannot write \(path)") }
    }
    func imageMetadata(id: String, context: RequestContext, logger: Logger) async throws -> ImageSpec {
        ImageSpec(id: id, name: "boot-\(id)", size: Int64(bytes.count), diskFormat: "aki")
    }
}

/// Records everything the manager tells the control plane; `hostInstances` answers `remote`
/// or throws when it is nil (conductor down).
final class RecordingControlPlane: ComputeControlPlane {
    private let state = Mutex<(updates: [InstanceUpdateArguments], reschedules: [RescheduleInstanceArguments], reports: [HostReport], notifications: [String], remote: [HostInstance]?)>(([], [], [], [], []))

    var updates: [InstanceUpdateArguments] { state.withLock { $0.updates } }
    var reschedules: [RescheduleInstanceArguments] { state.withLock { $0.reschedules } }
    var reports: [HostReport] { state.withLock { $0.reports } }
    var notifications: [String] { state.withLock { $0.notifications } }
    func setRemote(_ r: [HostInstance]?) { state.withLock { $0.remote = r } }
    func updates(for uuid: String) -> [InstanceUpdateArguments] { updates.filter { $0.instanceUUID == uuid } }

    func instanceUpdate(_ args: InstanceUpdateArguments, context: RequestContext) async throws {
        state.withLock { $0.updates.append(args) }
    }
    func rescheduleInstance(_ args: RescheduleInstanceArguments, context: RequestContext) async throws {
        state.withLock { $0.reschedules.append(args) }
    }
    func reportResources(_ report: HostReport, context: RequestContext) async throws {
        state.withLock { $0.reports.append(report) }
    }
    func hostInstances(host: String, context: RequestContext) async throws -> [HostInstance] {
        guard let r = state.withLock({ $0.remote }) else { throw ImageFetchError("conductor unreachable (test)") }
        return r
    }
    func notify(_ eventType: String, payload: InstanceNotificationPayload, context: RequestContext, priority: NotificationPriority) async {
        state.withLock { $0.notifications.append(eventType) }
    }
    private let ports = Mutex<[String]>([])
    /// `<port id>=<status>` in the order reported.
    var portStatuses: [String] { ports.withLock { $0 } }
    func updatePortStatus(portID: String, status: String, host: String, context: RequestContext) async throws {
        ports.withLock { $0.append("\(portID)=\(status)") }
    }
}

/// A settable clock.
final class TestClock: Sendable {
    private let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { time.withLock { $0 } }
    func advance(_ seconds: Double) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A manager over a temporary state directory, a fake driver, a stub image source and a
/// recording control plane.
struct ManagerHarness {
    let dir: TemporaryDirectory
    let statePath: String
    let store: ComputeStore
    let driver: FakeDriver
    let source: StubImageSource
    let control = RecordingControlPlane()
    let clock = TestClock()
    let manager: ComputeManager

    init(
        dir: TemporaryDirectory? = nil, driverOptions: FakeDriver.Options = .init(), host: String = "node1", templates: Bool = true,
        vifs: (any VIFPlugging)? = nil
    ) throws {
        let d = try dir ?? TemporaryDirectory()
        self.dir = d
        statePath = d.path + "/" + host
        store = try ComputeStore.open(statePath: statePath)
        driver = FakeDriver(options: driverOptions)
        source = StubImageSource()
        let runner = ProcessRunner()
        let paths = InstancePaths(statePath: statePath)
        let images = ImageCache(downloadDirectory: paths.baseDirectory, source: source, verifier: ImageVerifier(runner: runner))
        let clock = self.clock
        var options = ComputeManager.Options()
        options.baseImageMinimumAge = 3600
        manager = ComputeManager(
            host: host, store: store, driver: driver, images: images, overlay: OverlayDisk(runner: runner, templates: templates),
            paths: paths, control: control, vifs: vifs, options: options, logger: quietLogger, clock: { clock.now })
    }

    var paths: InstancePaths { manager.paths }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}

/// `qemu-img info --output=json` of `path`.
func qemuImgInfo(_ path: String) async throws -> [String: Any] {
    let out = try await ProcessRunner().run(["qemu-img", "info", "--output=json", "-U", path], logger: quietLogger)
    return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
}
