import Foundation

/// Finds and ends an instance's qemu process from its pid file and `/proc`. The checks that
/// decide whether a pid is still the instance's qemu are pure and unit-tested.
public enum QemuProcess {
    /// The pid in `pidFile`, if it holds one.
    public static func pid(fromFile pidFile: String) -> Int32? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The pid of the live qemu of instance `uuid` named in `pidFile`, or nil.
    public static func livePID(pidFile: String, uuid: String) -> Int32? {
        guard let pid = pid(fromFile: pidFile), pid > 0 else { return nil }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return isLive(stat: stat) && commandLine([UInt8](cmdline), isQemuOf: uuid) ? pid : nil
    }

    /// `/proc/<pid>/stat` of a process that has not exited (not a zombie, not gone).
    public static func isLive(stat: String) -> Bool {
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != nil && state != "Z" && state != "X"
    }

    /// Whether a NUL-separated `/proc/<pid>/cmdline` is a qemu started for instance `uuid`
    /// (guards against a reused pid).
    public static func commandLine(_ bytes: [UInt8], isQemuOf uuid: String) -> Bool {
        let args = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard let first = args.first, first.contains("qemu") else { return false }
        return zip(args, args.dropFirst()).contains { $0 == "-uuid" && $1 == uuid }
    }

    /// The arguments of a running process (for tests and logs).
    public static func arguments(pid: Int32) -> [String] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return [UInt8](data).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}
