import Foundation
#if canImport(Glibc)
import Glibc
#endif

@_silgen_name("setns") private func c_setns(_ fd: Int32, _ nstype: Int32) -> Int32

/// Makes a listening TCP socket inside a network namespace: a short-lived thread enters the
/// namespace (`setns`), creates, binds (`IP_FREEBIND`, so the address may appear later) and
/// listens, and the descriptor — which stays in that namespace — is handed to SwiftNIO.
public enum NamespaceSocket {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static let cloneNewNet: Int32 = 0x4000_0000
    static let ipFreebind: Int32 = 15

    /// A listening socket on `address:port` inside the namespace at `namespacePath`
    /// (`/run/netns/qdhcp-…`).
    public static func listen(namespacePath: String, address: String, port: Int) async throws -> Int32 {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Int32, any Error>) in
            let thread = Thread {
                cont.resume(with: Result { try makeInNamespace(namespacePath, address: address, port: port) })
            }
            thread.name = "metadata-setns"
            thread.start()
        }
    }

    /// Runs on a dedicated thread (a thread's namespace is its own; the thread ends right after).
    static func makeInNamespace(_ path: String, address: String, port: Int) throws -> Int32 {
        let original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard original >= 0 else { throw Failure(description: "cannot open /proc/thread-self/ns/net: \(errnoText())") }
        defer { close(original) }
        let target = open(path, O_RDONLY | O_CLOEXEC)
        guard target >= 0 else { throw Failure(description: "cannot open namespace \(path): \(errnoText())") }
        defer { close(target) }
        guard c_setns(target, cloneNewNet) == 0 else {
            throw Failure(description: "setns into \(path) failed (needs root/CAP_SYS_ADMIN): \(errnoText())")
        }
        defer { _ = c_setns(original, cloneNewNet) }
        return try makeListeningSocket(address: address, port: port)
    }

    /// socket + SO_REUSEADDR + IP_FREEBIND + bind + listen in the calling thread's namespace.
    public static func makeListeningSocket(address: String, port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: \(errnoText())") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, Int32(IPPROTO_IP), ipFreebind, &one, socklen_t(MemoryLayout<Int32>.size))
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, address, &sin.sin_addr) == 1 else {
            close(fd)
            throw Failure(description: "\(address) is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let text = errnoText()
            close(fd)
            throw Failure(description: "bind \(address):\(port) failed: \(text)")
        }
        guard Glibc.listen(fd, 4096) == 0 else {
            let text = errnoText()
            close(fd)
            throw Failure(description: "listen on \(address):\(port) failed: \(text)")
        }
        return fd
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
