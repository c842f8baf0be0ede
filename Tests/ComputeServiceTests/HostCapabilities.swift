import Foundation

/// What the real-component tests need from this machine, and why they skip otherwise.
enum HostCapabilities {
    static var isRoot: Bool { geteuid() == 0 }

    static func hasProgram(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

    /// Bridges and taps: root, `ip` and /dev/net/tun.
    static var canPlug: Bool { isRoot && hasProgram("ip") && FileManager.default.fileExists(atPath: "/dev/net/tun") }

    /// A real qemu: everything `canPlug` needs and `qemu-system-x86_64` + `qemu-img`.
    static var canRunQemu: Bool { canPlug && hasProgram("qemu-system-x86_64") && hasProgram("qemu-img") }

    /// 11 random hex characters, for link names unique per test run.
    static func uniqueHex(_ count: Int = 11) -> String {
        String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(count))
    }
}
