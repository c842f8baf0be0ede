import Foundation

/// Picks VNC displays (TCP port 5900 + display) for qemu instances on one host. Pure apart
/// from the port probe it is handed.
public enum VNCDisplayAllocator {
    public static let basePort = 5900

    /// The lowest display in `0..<limit` that no other instance of this host holds and whose
    /// port `isPortFree` says nobody else listens on; nil when all are taken.
    public static func firstFree(taken: Set<Int>, limit: Int, isPortFree: (Int) -> Bool) -> Int? {
        (0..<limit).first { !taken.contains($0) && isPortFree(basePort + $0) }
    }
}

/// Whether a TCP port can be bound on an address (nobody listens there).
public enum PortProbe {
    public static func isFree(host: String, port: Int) -> Bool {
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        let isV6 = host.contains(":")
        if isV6 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 else { return false }
        } else {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &v4.sin_addr) == 1 else { return false }
        }
        let fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var one: Int32 = 1
        // As qemu binds (SO_REUSEADDR): a port only in TIME_WAIT counts as free.
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let rc: Int32 = isV6
            ? withUnsafePointer(to: &v6) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
            : withUnsafePointer(to: &v4) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        return rc == 0
    }
}
