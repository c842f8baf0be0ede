import Foundation

/// One network link as `ip -j -d link show dev <name>` describes it: what the plug plan needs
/// to decide what to change.
public struct LinkState: Sendable, Equatable {
    public var name: String
    /// `linkinfo.info_kind`: `bridge`, `tun`, `veth` ...; nil for plain devices (`eth0`).
    public var kind: String?
    /// The bridge the link is enslaved to.
    public var master: String?
    /// Administratively up (`UP` in flags).
    public var isUp: Bool
    public var mtu: Int

    public init(name: String, kind: String? = nil, master: String? = nil, isUp: Bool = true, mtu: Int = 1500) {
        self.name = name
        self.kind = kind
        self.master = master
        self.isUp = isUp
        self.mtu = mtu
    }

    /// Reads the first link of `ip -j -d link show` output; nil when there is none or the
    /// text is not that JSON.
    public static func parse(ipJSON text: String) -> LinkState? {
        guard let list = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]],
              let first = list.first, let name = first["ifname"] as? String else { return nil }
        let flags = first["flags"] as? [String] ?? []
        let info = first["linkinfo"] as? [String: Any]
        return LinkState(
            name: name, kind: info?["info_kind"] as? String, master: first["master"] as? String, isUp: flags.contains("UP"),
            mtu: (first["mtu"] as? NSNumber)?.intValue ?? 0)
    }
}
