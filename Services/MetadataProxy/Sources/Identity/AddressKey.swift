import Schemas

/// Where a request comes from: the network its listener serves and the peer's address.
public struct AddressKey: Hashable, Sendable, CustomStringConvertible {
    public var networkID: String
    public var ip: String

    public init(networkID: String, ip: String) {
        self.networkID = networkID
        self.ip = ip
    }

    public var description: String { "\(networkID)/\(ip)" }

    /// Every (network, fixed IP) of an instance's ports.
    public static func all(of i: InstanceMetadata) -> [AddressKey] {
        i.interfaces.flatMap { iface in
            iface.port.fixedIPs.map { AddressKey(networkID: iface.port.networkID, ip: $0.ipAddress) }
        }
    }
}
