/// Where the brokers are: `rabbit://user:pass@host:port[,user:pass@host2:port]/vhost`, as
/// oslo.messaging's `transport_url`. Several hosts mean failover, tried round-robin.
public struct TransportURL: Sendable, Hashable, CustomStringConvertible {
    public struct Broker: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public var user: String
        public var password: String
        /// `host:port`, never the password: safe to log.
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    public var brokers: [Broker]
    public var virtualHost: String

    /// The URL with passwords masked, for logs.
    public var description: String {
        "rabbit://" + brokers.map { "\($0.user):***@\($0.host):\($0.port)" }.joined(separator: ",") + "/" + (virtualHost == "/" ? "" : virtualHost)
    }

    public init(brokers: [Broker], virtualHost: String) {
        self.brokers = brokers
        self.virtualHost = virtualHost
    }

    /// Parses a transport URL.
    /// - Throws: ``TransportURLError`` saying what is wrong.
    public init(parsing text: String) throws {
        let scheme = "rabbit://"
        guard text.hasPrefix(scheme) else {
            throw TransportURLError("transport_url '\(Self.mask(text))' must start with rabbit://")
        }
        var rest = Substring(text.dropFirst(scheme.count))
        var vhost = "/"
        // As oslo: everything after the first '/' is the (percent-encoded) vhost;
        // `…:5672//` means the vhost `/`. Credentials with a '/' must be percent-encoded.
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            vhost = path.isEmpty ? "/" : Self.percentDecode(String(path))
            rest = rest[..<slash]
        }
        var brokers: [Broker] = []
        for part in rest.split(separator: ",", omittingEmptySubsequences: false) {
            var user = "guest"
            var password = "guest"
            var hostPort = Substring(part)
            if let at = part.lastIndex(of: "@") {
                let cred = part[..<at]
                hostPort = part[part.index(after: at)...]
                if let colon = cred.firstIndex(of: ":") {
                    user = Self.percentDecode(String(cred[..<colon]))
                    password = Self.percentDecode(String(cred[cred.index(after: colon)...]))
                } else {
                    user = Self.percentDecode(String(cred))
                    password = ""
                }
            }
            var host = String(hostPort)
            var port = 5672
            if hostPort.hasPrefix("[") {  // IPv6 literal
                guard let close = hostPort.firstIndex(of: "]") else {
                    throw TransportURLError("transport_url host '\(hostPort)' has an unclosed '['")
                }
                host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
                let after = hostPort[hostPort.index(after: close)...]
                if after.hasPrefix(":") {
                    guard let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                        throw TransportURLError("transport_url port in '\(hostPort)' must be 1-65535")
                    }
                    port = p
                }
            } else if let colon = hostPort.lastIndex(of: ":") {
                host = String(hostPort[..<colon])
                guard let p = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(p) else {
                    throw TransportURLError("transport_url port in '\(hostPort)' must be a number 1-65535")
                }
                port = p
            }
            guard !host.isEmpty else {
                throw TransportURLError("transport_url '\(Self.mask(text))' names an empty host")
            }
            brokers.append(Broker(host: host, port: port, user: user, password: password))
        }
        self.init(brokers: brokers, virtualHost: vhost)
    }

    static func percentDecode(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` with the password replaced by `***`, for messages.
    public static func mask(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let head = text[..<schemeEnd.upperBound]
        var tail = String(text[schemeEnd.upperBound...])
        var path = ""
        if let slash = tail.firstIndex(of: "/") {
            path = String(tail[slash...])
            tail = String(tail[..<slash])
        }
        let hosts = tail.split(separator: ",", omittingEmptySubsequences: false).map { part -> String in
            guard let at = part.lastIndex(of: "@") else { return String(part) }
            let cred = part[..<at]
            guard let colon = cred.firstIndex(of: ":") else { return String(part) }
            return String(cred[...colon]) + "***" + String(part[at...])
        }
        return head + hosts.joined(separator: ",") + path
    }
}

/// A transport URL that cannot be used; the message says what to fix.
public struct TransportURLError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
