import Foundation

/// The real host's capacity for the qemu driver: online CPUs, `MemTotal` from
/// `/proc/meminfo`, and the size of the file system holding the state path.
public enum HostCapacity {
    public static func vcpus() -> Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    public static func memoryMB(meminfo: String? = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) -> Int {
        guard let meminfo else { return Int(ProcessInfo.processInfo.physicalMemory / (1 << 20)) }
        return parseMemTotalMB(meminfo) ?? Int(ProcessInfo.processInfo.physicalMemory / (1 << 20))
    }

    /// `MemTotal:  24576000 kB` → MiB. Pure.
    public static func parseMemTotalMB(_ meminfo: String) -> Int? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kb = Int(fields[1]) { return kb / 1024 }
        }
        return nil
    }

    /// Whole GiB of the file system holding `path`.
    public static func diskGB(path: String) -> Int {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return 0 }
        return Int(UInt64(s.f_blocks) * UInt64(s.f_frsize) / (1 << 30))
    }

    /// Whether the file at `path` can be opened with O_DIRECT (qemu's `cache=none`).
    public static func supportsDirectIO(_ path: String) -> Bool {
        // O_DIRECT is a GNU extension Swift's Glibc does not import.
        #if arch(arm64)
        let oDirect: Int32 = 0o200000
        #else
        let oDirect: Int32 = 0o40000
        #endif
        let fd = open(path, O_RDONLY | oDirect | O_CLOEXEC)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// Whether `device` can be opened read-write (`/dev/kvm`, `/dev/vhost-net`).
    public static func canOpen(_ device: String) -> Bool {
        let fd = open(device, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }
}
