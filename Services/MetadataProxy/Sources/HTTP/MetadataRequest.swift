/// One HTTP request as the proxy sees it, independent of SwiftNIO.
public struct MetadataRequest: Sendable {
    /// Which socket a request arrived on.
    public enum Listener: Sendable, Equatable {
        /// 169.254.169.254 inside `qdhcp-<network id>`: the network is the socket's, the
        /// instance the TCP peer. Headers never identify anyone.
        case namespace(networkID: String)
        /// `[metadata] listen`: identity from `X-Forwarded-For`/`X-Cirrus-Network-ID` only when
        /// the peer is a trusted proxy.
        case plain
    }

    public var method: String
    public var target: String
    /// Header names as sent; looked up case-insensitively.
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// The TCP peer's IP address.
    public var peer: String?
    public var listener: Listener

    public init(method: String, target: String, headers: [(String, String)] = [], body: [UInt8] = [], peer: String?, listener: Listener) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.peer = peer
        self.listener = listener
    }

    /// The first value of a header (case-insensitive name).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) }?.1
    }
}

extension String {
    /// ASCII case-insensitive equality (header names).
    func caseInsensitiveCompare(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A) }
    }
}
