import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where formatted log lines go. Implementations must be safe to call from any thread and
/// must not interleave two lines.
public protocol LogSink: Sendable {
    /// Writes one line; the sink adds the newline.
    func write(line: String)
}

/// Writes lines to a file descriptor (standard error, or a log file opened for appending),
/// one `write(2)` per line under a lock.
public final class FileDescriptorLogSink: LogSink {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let lock = Mutex(())

    /// Standard error: what systemd sends to the journal.
    public static let standardError = FileDescriptorLogSink(descriptor: 2, ownsDescriptor: false)

    private init(descriptor: Int32, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
    }

    /// Opens (creating with mode 0640 if needed) `path` for appending.
    ///
    /// - Throws: ``LogFileError`` naming the path and the system error.
    public convenience init(appendingTo path: String) throws(LogFileError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw LogFileError(path: path, reason: String(cString: strerror(errno)))
        }
        self.init(descriptor: descriptor, ownsDescriptor: true)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Writes `line` and a newline; retries short writes and `EINTR`, drops the line on other errors.
    public func write(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc_write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }
}

/// The log file named by `log_file` could not be opened.
public struct LogFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path that could not be opened.
    public var path: String
    /// The system's explanation.
    public var reason: String

    /// `cannot open log file <path>: <reason>; ...`.
    public var description: String {
        "cannot open log file \(path): \(reason); check log_file and the directory's permissions"
    }
}

private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
