import Dispatch
import Foundation
import Messaging

/// A QMP client over the instance's UNIX socket: connects, reads the greeting, negotiates
/// with `qmp_capabilities`, executes one command and returns its `return` value, skipping
/// events. One connection per command (qemu serves one QMP client at a time; this keeps no
/// connection open that would block another). Blocking I/O with timeouts on a dispatch thread.
public struct QMPClient: Sendable {
    public let socketPath: String
    /// Seconds to wait for each line.
    public let timeout: Double

    public init(socketPath: String, timeout: Double = 5) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// Executes `command`; returns its `return` value.
    /// - Throws: ``QMPError`` (cannot connect, timed out, or qemu answered an error).
    @discardableResult
    public func execute(_ command: String, arguments: JSONValue? = nil) async throws -> JSONValue {
        let path = socketPath, timeout = timeout
        return try await withCheckedThrowingContinuation { cont in
            DispatchQueue.global().async {
                cont.resume(with: Result { try Self.executeBlocking(path: path, timeout: timeout, command: command, arguments: arguments) })
            }
        }
    }

    /// `query-status`'s `status` (`running`, `paused`, `shutdown` ...).
    public func status() async throws -> String {
        let r = try await execute("query-status")
        guard let s = r.objectValue?["status"]?.stringValue else { throw QMPError("query-status answered without a status") }
        return s
    }

    private static func executeBlocking(path: String, timeout: Double, command: String, arguments: JSONValue?) throws -> JSONValue {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw QMPError("cannot create a UNIX socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            throw QMPError("QMP socket path \(path) is longer than a UNIX socket path may be: use a shorter state_path")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw QMPError("cannot connect to QMP socket \(path): \(String(cString: strerror(errno)))") }
        var reader = LineReader(fd: fd)
        guard case .greeting = try QMPMessage.parse(try reader.line(path)) else {
            throw QMPError("qemu did not greet on QMP socket \(path)")
        }
        _ = try exchange(fd, &reader, QMPMessage.command("qmp_capabilities"), path: path)
        return try exchange(fd, &reader, QMPMessage.command(command, arguments: arguments), path: path)
    }

    private static func exchange(_ fd: Int32, _ reader: inout LineReader, _ line: String, path: String) throws -> JSONValue {
        var data = Array(line.utf8)
        var sent = 0
        while sent < data.count {
            let n = data.withUnsafeMutableBytes { write(fd, $0.baseAddress! + sent, $0.count - sent) }
            guard n > 0 else { throw QMPError("cannot write to QMP socket \(path): \(String(cString: strerror(errno)))") }
            sent += n
        }
        data.removeAll()
        while true {
            switch try QMPMessage.parse(try reader.line(path)) {
            case .success(let value): return value
            case .failure(let cls, let desc): throw QMPError("qemu refused \(line.trimmingCharacters(in: .newlines)): \(cls): \(desc)")
            case .event, .greeting: continue
            }
        }
    }
}

/// Reads `\n`-terminated lines from a socket.
private struct LineReader {
    let fd: Int32
    var buffer: [UInt8] = []

    mutating func line(_ path: String) throws -> String {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n > 0 {
                buffer += chunk[..<n]
            } else if n == 0 {
                throw QMPError("qemu closed QMP socket \(path)")
            } else {
                throw QMPError("no answer on QMP socket \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
