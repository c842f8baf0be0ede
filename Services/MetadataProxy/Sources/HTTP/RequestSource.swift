/// Decides who is asking: the (network, IP) a request is attributed to, from the listener and,
/// only for trusted proxies on the plain listener, from headers. Pure.
public struct RequestSource: Sendable, Equatable {
    /// The network, when known (namespace socket, or a trusted proxy's header).
    public var networkID: String?
    /// The instance address.
    public var ip: String
    /// The peer is a configured proxy (its forwarding headers were used).
    public var viaTrustedProxy: Bool

    public static let networkHeader = "X-Cirrus-Network-ID"

    /// nil when no address can be attributed (a trusted proxy that sent no X-Forwarded-For).
    public static func resolve(_ r: MetadataRequest, trustedProxies: Set<String>) -> RequestSource? {
        guard let peer = r.peer else { return nil }
        switch r.listener {
        case .namespace(let networkID):
            return RequestSource(networkID: networkID, ip: peer, viaTrustedProxy: false)
        case .plain:
            guard trustedProxies.contains(peer) else { return RequestSource(networkID: nil, ip: peer, viaTrustedProxy: false) }
            // The nearest (trusted) proxy appended the client it saw: the last entry.
            guard let xff = r.header("X-Forwarded-For"),
                  let last = xff.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty else { return nil }
            let net = r.header(networkHeader)?.trimmingCharacters(in: .whitespaces)
            return RequestSource(networkID: (net?.isEmpty ?? true) ? nil : net, ip: last, viaTrustedProxy: true)
        }
    }
}
