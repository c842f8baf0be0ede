import Schemas

/// One instance's virtual machine, as Nova's libvirt driver defines a domain: name
/// `instance-%08x`, uuid, memory and vCPUs of the flavor, SMBIOS identity, the qcow2 disk with
/// its backing file, optional direct kernel boot, one virtio NIC per port on its tap, the
/// serial console into `console.log` and a VNC display.
///
/// The single source of truth for both renderings: `libvirt.xml` (``renderXML()``) and the
/// `qemu-system-x86_64` command line (``qemuArguments(_:)``). A value type; both renderings
/// are pure functions of it.
public struct DomainDefinition: Sendable, Equatable, Codable {
    /// SMBIOS system identity. `OpenStack Nova` is what cloud-init's OpenStack data source
    /// looks for (`product_name`).
    public static let smbiosManufacturer = "OpenStack Foundation"
    public static let smbiosProduct = "OpenStack Nova"
    public static let smbiosFamily = "Virtual Machine"
    /// Nova's libvirt default `os_command_line` for direct kernel boot.
    public static let defaultKernelCommandLine = "root=/dev/vda console=tty0 console=ttyS0"

    public var instance: InstanceSpec
    /// `<instances>/<uuid>/disk`.
    public var diskPath: String
    /// `_base/<sha1>` and its format (`raw` or `qcow2`).
    public var backingPath: String
    public var backingFormat: String
    public var consoleLogPath: String
    /// Address VNC listens on (`[vnc] server_listen`).
    public var vncListen: String
    /// The VNC TCP port (5900 + display); nil until a driver allocates one (autoport).
    public var vncPort: Int?
    /// libvirt domain type: `kvm` or `qemu` (TCG).
    public var domainType: String
    /// `<instances>/<uuid>/kernel` and `ramdisk` when the image has `kernel_id`/`ramdisk_id`.
    public var kernelPath: String?
    public var ramdiskPath: String?
    /// Kernel command line for direct kernel boot.
    public var kernelCommandLine: String?

    public init(
        instance: InstanceSpec, diskPath: String, backingPath: String, backingFormat: String, consoleLogPath: String,
        vncListen: String = "127.0.0.1", vncPort: Int? = nil, domainType: String = "qemu", kernelPath: String? = nil,
        ramdiskPath: String? = nil, kernelCommandLine: String? = nil
    ) {
        self.instance = instance
        self.diskPath = diskPath
        self.backingPath = backingPath
        self.backingFormat = backingFormat
        self.consoleLogPath = consoleLogPath
        self.vncListen = vncListen
        self.vncPort = vncPort
        self.domainType = domainType
        self.kernelPath = kernelPath
        self.ramdiskPath = ramdiskPath
        self.kernelCommandLine = kernelCommandLine
    }

    /// `instance-%08x`.
    public var name: String { instance.domainName }

    /// The kernel command line in effect: the configured one, or Nova's default, when a
    /// kernel is booted directly.
    public var effectiveKernelCommandLine: String? {
        guard kernelPath != nil else { return nil }
        return kernelCommandLine ?? Self.defaultKernelCommandLine
    }

    enum CodingKeys: String, CodingKey {
        case instance
        case diskPath = "disk_path"
        case backingPath = "backing_path"
        case backingFormat = "backing_format"
        case consoleLogPath = "console_log_path"
        case vncListen = "vnc_listen"
        case vncPort = "vnc_port"
        case domainType = "domain_type"
        case kernelPath = "kernel_path"
        case ramdiskPath = "ramdisk_path"
        case kernelCommandLine = "kernel_command_line"
    }
}
