import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client that sends raw bytes and reads until the server closes or a read
/// timeout passes: for hostile and keep-alive requests a normal client would not send.
enum RawHTTPClient {
    struct Failure: Error { var what: String }

    static func exchange(port: Int, host: String = "127.0.0.1", send: [UInt8], timeoutSeconds: Int = 5) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(what: "socket") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &sin.sin_addr)
        let ok = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { throw Failure(what: "connect to \(host):\(port)") }
        var offset = 0
        while offset < send.count {
            let n = send[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server may close early (hostile input)
            offset += n
        }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Runs the blocking exchange on its own thread, so the cooperative pool (which serves the
    /// proxy's conductor lookups) is never blocked by the test's socket reads.
    static func exchange(port: Int, _ text: String) async throws -> String {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<String, any Error>) in
            Thread { cont.resume(with: Result { try exchange(port: port, send: Array(text.utf8)) }) }.start()
        }
    }

    /// The status codes of every response in `raw`, in order.
    static func statuses(_ raw: String) -> [Int] {
        raw.components(separatedBy: "HTTP/1.").dropFirst().compactMap { Int($0.dropFirst(2).prefix(3)) }
    }
}
