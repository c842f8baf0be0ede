import Foundation

/// ``ConfigFileWriting`` with write-to-temp + `rename(2)`, so dnsmasq never reads half a file.
public struct AtomicFileWriter: ConfigFileWriting {
    public init() {}

    public func write(_ text: String, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let tmp = path + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) else {
            throw DHCPAgentError("cannot write \(tmp): check that the state directory is writable")
        }
        guard rename(tmp, path) == 0 else { throw DHCPAgentError("cannot rename \(tmp) to \(path): errno \(errno)") }
    }

    public func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    public func removeDirectory(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try FileManager.default.removeItem(atPath: path)
    }
}
