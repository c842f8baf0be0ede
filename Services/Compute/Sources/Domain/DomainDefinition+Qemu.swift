extension DomainDefinition {
    /// Host-side settings of one qemu process that are not part of the domain itself.
    public struct QemuRuntime: Sendable, Equatable {
        /// `qemu-system-x86_64` (looked up in PATH) or a full path.
        public var binary: String
        /// QMP monitor socket (`<instance dir>/qmp.sock`).
        public var qmpSocketPath: String
        /// `<instance dir>/qemu.pid`.
        public var pidFilePath: String
        /// `vhost=on` on the tap netdevs (when /dev/vhost-net can be opened).
        public var vhostNet: Bool
        /// Disk cache mode: `none` (O_DIRECT, Nova's choice) or `writethrough` where the file
        /// system has no O_DIRECT (tmpfs), as Nova falls back.
        public var diskCache: String

        public init(
            binary: String = "qemu-system-x86_64", qmpSocketPath: String, pidFilePath: String, vhostNet: Bool = false,
            diskCache: String = "none"
        ) {
            self.binary = binary
            self.qmpSocketPath = qmpSocketPath
            self.pidFilePath = pidFilePath
            self.vhostNet = vhostNet
            self.diskCache = diskCache
        }
    }

    /// The `qemu-system-x86_64` command line that runs this domain, daemonized (`-daemonize`,
    /// in its own session, so restarting cirrus-compute leaves it running). `domainType`
    /// `kvm` → `-accel kvm`, anything else → `-accel tcg`; the CPU model stays qemu's default
    /// (`-cpu host` aborts on these machines). With `-no-shutdown`, a guest that powers off
    /// leaves qemu in status `shutdown` for the driver to see and end.
    public func qemuArguments(_ runtime: QemuRuntime) -> [String] {
        let i = instance
        let smbios = [
            "type=1", "manufacturer=" + Self.smbiosManufacturer, "product=" + Self.smbiosProduct, "serial=" + i.uuid,
            "uuid=" + i.uuid, "family=" + Self.smbiosFamily,
        ].map(Self.qemuValue).joined(separator: ",")
        var a = [runtime.binary, "-name", "guest=\(Self.qemuValue(name)),debug-threads=on"]
        a += ["-uuid", i.uuid, "-machine", "pc", "-accel", domainType == "kvm" ? "kvm" : "tcg"]
        a += ["-m", "\(i.flavor.memoryMB)", "-smp", "\(max(1, i.flavor.vcpus))"]
        a += ["-smbios", smbios]
        a += ["-nodefaults", "-no-user-config", "-rtc", "base=utc", "-no-shutdown", "-display", "none"]
        if let kernelPath {
            a += ["-kernel", kernelPath]
            if let ramdiskPath { a += ["-initrd", ramdiskPath] }
            a += ["-append", effectiveKernelCommandLine ?? ""]
        }
        a += ["-drive", "file=\(Self.qemuValue(diskPath)),if=none,id=drive-virtio-disk0,format=qcow2,cache=\(runtime.diskCache)"]
        a += ["-device", "virtio-blk-pci,drive=drive-virtio-disk0,id=virtio-disk0,bootindex=1"]
        for (n, nic) in i.networks.enumerated() {
            var netdev = "tap,id=hostnet\(n),ifname=\(nic.tapName),script=no,downscript=no"
            if runtime.vhostNet { netdev += ",vhost=on" }
            a += ["-netdev", netdev]
            a += ["-device", "virtio-net-pci,netdev=hostnet\(n),id=net\(n),mac=\(nic.macAddress),host_mtu=\(nic.mtu)"]
        }
        a += ["-chardev", "file,id=charserial0,path=\(Self.qemuValue(consoleLogPath)),append=on"]
        a += ["-device", "isa-serial,chardev=charserial0,id=serial0"]
        a += ["-device", "cirrus-vga,id=video0"]
        if let vncPort {
            a += ["-vnc", "\(vncListen.contains(":") ? "[\(vncListen)]" : vncListen):\(vncPort - 5900)"]
        }
        a += ["-qmp", "unix:\(Self.qemuValue(runtime.qmpSocketPath)),server=on,wait=off"]
        a += ["-daemonize", "-pidfile", runtime.pidFilePath]
        return a
    }

    /// A value inside a qemu `key=value,...` option: commas are doubled.
    static func qemuValue(_ s: String) -> String {
        s.replacingOccurrences(of: ",", with: ",,")
    }
}
