import Foundation

/// Writes an instance directory's small text files (`disk.info`, `libvirt.xml`) with plain
/// `open`/`write`/`close`. Foundation's `String.write(toFile:)` also `fsync`s each file, which
/// cost ~8 % of cirrus-compute's CPU in the boot storm; like Nova (and libvirt), Cirrus
/// rewrites these files from its records when it needs them again, so they need no fsync.
enum InstanceFileWriter {
    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ComputeDriverError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ComputeDriverError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}
