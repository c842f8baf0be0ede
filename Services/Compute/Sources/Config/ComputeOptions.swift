import ServiceKit

/// cirrus-compute's own options, read once at start (errors name the file and line).
///
/// ```ini
/// [DEFAULT]
/// compute_driver = fake            # fake | qemu
/// my_ip = 127.0.0.1
/// [compute]
/// resource_report_interval = 60
/// sync_power_state_interval = 600
/// image_cache_manager_interval = 2400
/// remove_unused_base_images = true
/// remove_unused_original_minimum_age_seconds = 86400
/// max_concurrent_builds = 10
/// max_concurrent_processes = 4     # qemu-img, md5sum ... at once
/// overlay_templates = true         # copy a qemu-img-made empty overlay instead of running qemu-img per build
/// shutdown_timeout = 60            # qemu: seconds a guest gets to power off before it is killed
/// [libvirt]
/// virt_type = auto                 # qemu driver: kvm | qemu (TCG) | auto (kvm when /dev/kvm opens)
/// [vnc]
/// server_listen = 127.0.0.1
/// [api]
/// url = http://127.0.0.1:8774      # cirrus-api, for image downloads
/// [service_auth]
/// username = cirrus  password = ...  project_name = service
/// [fake_driver]
/// vcpus = 1000  memory_mb = 8388608  local_gb = 100000
/// fail_spawn = false               # true, or a list of instance names/uuids
/// fail_spawn_hosts =               # hosts (e.g. fake hosts) on which every spawn fails
/// hosts = 0                        # N > 0: act as N hosts <host>-1 ... <host>-N
/// plug_vifs = false                # true: plug taps into bridges like a real driver
/// [linux_bridge]
/// physical_interface_mappings = public:eth1   # uplink per physical network; nothing else is touched
/// ```
public struct ComputeOptions: Sendable {
    public var driver: String = "fake"
    public var resourceReportInterval: Double = 60
    public var syncPowerStateInterval: Double = 600
    public var imageCacheManagerInterval: Double = 2400
    public var maxConcurrentProcesses = 4
    public var overlayTemplates = true
    public var apiURL = "http://127.0.0.1:8774"
    public var credentials = HTTPImageSource.Credentials(username: "cirrus", password: "", projectName: "service")
    public var manager = ComputeManager.Options()
    public var fake = FakeDriver.Options()
    public var qemu = QemuDriver.Options()
    /// `[fake_driver] hosts`: 0 serves the configured host itself.
    public var fakeHosts = 0
    /// `[fake_driver] fail_spawn_hosts`: (fake) hosts on which every spawn fails.
    public var failSpawnHosts: Set<String> = []
    /// `[fake_driver] plug_vifs`: the fake driver plugs taps into bridges too (off by default,
    /// so hundreds of fake hosts on one machine make no links).
    public var fakePlugVIFs = false
    /// `[linux_bridge] physical_interface_mappings`.
    public var physicalInterfaceMappings = PhysicalInterfaceMappings()

    /// Whether this driver plugs VIFs into bridges.
    public var plugsVIFs: Bool { driver != "fake" || fakePlugVIFs }

    public init() {}

    /// Reads the options; unknown drivers and bad values are configuration errors.
    public init(reader r: CirrusConfigReader) throws {
        driver = try r.value("DEFAULT.compute_driver", default: driver)
        guard driver == "fake" || driver == "qemu" else {
            throw r.invalidValue("DEFAULT.compute_driver", expected: "fake or qemu")
        }
        resourceReportInterval = try r.value("compute.resource_report_interval", default: resourceReportInterval)
        syncPowerStateInterval = try r.value("compute.sync_power_state_interval", default: syncPowerStateInterval)
        imageCacheManagerInterval = try r.value("compute.image_cache_manager_interval", default: imageCacheManagerInterval)
        maxConcurrentProcesses = try r.value("compute.max_concurrent_processes", default: maxConcurrentProcesses)
        overlayTemplates = try r.value("compute.overlay_templates", default: overlayTemplates)
        manager.maxConcurrentBuilds = try r.value("compute.max_concurrent_builds", default: manager.maxConcurrentBuilds)
        manager.removeUnusedBaseImages = try r.value("compute.remove_unused_base_images", default: manager.removeUnusedBaseImages)
        manager.baseImageMinimumAge = try r.value(
            "compute.remove_unused_original_minimum_age_seconds", default: manager.baseImageMinimumAge)
        manager.syncGraceSeconds = try r.value("compute.sync_grace_seconds", default: manager.syncGraceSeconds)
        manager.hostIP = try r.value("DEFAULT.my_ip", default: manager.hostIP)
        manager.vncListen = try r.value("vnc.server_listen", default: manager.vncListen)
        qemu.vncListen = manager.vncListen
        qemu.virtType = try r.value("libvirt.virt_type", default: qemu.virtType)
        guard ["auto", "kvm", "qemu"].contains(qemu.virtType) else {
            throw r.invalidValue("libvirt.virt_type", expected: "kvm, qemu (TCG) or auto")
        }
        qemu.shutdownTimeout = try r.value("compute.shutdown_timeout", default: qemu.shutdownTimeout)
        guard qemu.shutdownTimeout >= 0 else { throw r.invalidValue("compute.shutdown_timeout", expected: "seconds, 0 or more") }
        apiURL = try r.value("api.url", default: apiURL)
        credentials.username = try r.value("service_auth.username", default: credentials.username)
        credentials.password = try r.value("service_auth.password", default: credentials.password)
        credentials.projectName = try r.value("service_auth.project_name", default: credentials.projectName)
        fake.vcpus = try r.value("fake_driver.vcpus", default: fake.vcpus)
        fake.memoryMB = try r.value("fake_driver.memory_mb", default: fake.memoryMB)
        fake.localGB = try r.value("fake_driver.local_gb", default: fake.localGB)
        // `fail_spawn` is a boolean, or a list of instance names/uuids whose spawns fail.
        let failSpawn = try r.value("fake_driver.fail_spawn", default: "false")
        if let all = Bool(configOptionValue: failSpawn) {
            fake.failSpawn = all
        } else {
            fake.failSpawnFor = Set(try r.value("fake_driver.fail_spawn", default: [String]()))
        }
        fake.failSpawnFor.formUnion(try r.value("fake_driver.fail_spawn_instances", default: [String]()))
        failSpawnHosts = Set(try r.value("fake_driver.fail_spawn_hosts", default: [String]()))
        fakeHosts = try r.value("fake_driver.hosts", default: fakeHosts)
        fakePlugVIFs = try r.value("fake_driver.plug_vifs", default: fakePlugVIFs)
        do {
            physicalInterfaceMappings = try PhysicalInterfaceMappings(
                parsing: try r.value("linux_bridge.physical_interface_mappings", default: [String]()))
        } catch let error as VIFPlugError {
            throw r.invalidValue("linux_bridge.physical_interface_mappings", expected: error.message)
        }
        guard fakeHosts >= 0 else { throw r.invalidValue("fake_driver.hosts", expected: "a number of hosts, 0 or more") }
        guard driver == "fake" || fakeHosts == 0 else {
            throw r.invalidValue("fake_driver.hosts", expected: "0 with compute_driver = qemu (one qemu host per process)")
        }
        guard maxConcurrentProcesses > 0 else {
            throw r.invalidValue("compute.max_concurrent_processes", expected: "a positive integer")
        }
    }
}
