import DHCPAgentService
import Foundation

/// A long-running `dhcp_probe.py` inside a client namespace: `served(mac)` broadcasts
/// DISCOVERs for that MAC every 5 ms until dnsmasq OFFERs its address; returns the time the
/// probe waited (ms) or nil after 5 s.
final class DHCPProbe: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()

    init(namespace: String, interface: String = "eth0", script: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace, "python3", script, interface]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The default script next to this source file.
    static var defaultScript: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("dhcp_probe.py").path
    }

    func served(_ mac: String) async -> Double? {
        await withCheckedContinuation { cont in
            DispatchQueue.global().async { cont.resume(returning: self.blockingProbe(mac)) }
        }
    }

    private func blockingProbe(_ mac: String) -> Double? {
        input.fileHandleForWriting.write(Data((mac + "\n").utf8))
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                let f = line.split(separator: " ")
                return f.first == "ok" && f.count >= 2 ? Double(f[1]) : nil
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
