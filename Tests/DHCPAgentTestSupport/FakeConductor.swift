import DHCPAgentService
import Foundation
import Logging
import Messaging
import Schemas
import Synchronization

/// A stand-in for cirrus-api's conductor on a private control exchange, shared by the DHCP
/// agent's real-component tests and `cirrus-dhcp-bench`: serves
/// `get_active_networks_info`, `get_network_info`, `create_dhcp_port` and `release_dhcp_port`
/// from an in-memory model (DHCP port = second address of the first subnet).
public final class FakeConductor: Sendable {
    /// The networks, shared with the handlers.
    final class Model: Sendable {
        let networks = Mutex<[String: NetworkInfo]>([:])
        func withLock<R>(_ body: (inout [String: NetworkInfo]) throws -> R) rethrows -> R { try networks.withLock { try body(&$0) } }
    }
    private let model = Model()
    public let server: RPCServer
    private let task = Mutex<Task<Void, any Error>?>(nil)

    public init(transport: MessagingTransport, logger: Logger) {
        var e = RPCEndpoint(version: ConductorAPI.version)
        let model = self.model
        e.register("get_active_networks_info") { (_: RPCRequest, _: GetActiveNetworksArguments) in
            GetActiveNetworksResult(networks: model.withLock { Array($0.values) })
        }
        e.register("get_network_info") { (_: RPCRequest, a: GetNetworkInfoArguments) in
            GetNetworkInfoResult(network: model.withLock { $0[a.networkID] })
        }
        e.register("create_dhcp_port") { (_: RPCRequest, a: DHCPPortArguments) in
            try model.withLock { m -> DHCPPortResult in
                guard var net = m[a.networkID], let subnet = net.subnets.first, let cidr = IPv4Network(cidr: subnet.cidr) else {
                    throw DHCPAgentError("no network \(a.networkID)")
                }
                if let port = net.ports.first(where: { $0.deviceOwner == DeviceOwner.dhcp }) { return DHCPPortResult(port: port) }
                let ip = cidr.networkAddress.split(separator: ".").dropLast().joined(separator: ".") + ".2"
                let port = PortInfo(
                    id: UUID().uuidString.lowercased(), networkID: net.id, macAddress: "fa:16:3e:\(randomHex(2)):\(randomHex(2)):\(randomHex(2))",
                    fixedIPs: [FixedIP(subnetID: subnet.id, ipAddress: ip)], deviceID: "dhcp-\(a.host)-\(net.id)",
                    deviceOwner: DeviceOwner.dhcp, bindingHost: a.host, status: "ACTIVE", revisionNumber: 1)
                net.ports.append(port)
                m[net.id] = net
                return DHCPPortResult(port: port)
            }
        }
        e.register("release_dhcp_port") { (_: RPCRequest, a: DHCPPortArguments) in
            model.withLock { m in m[a.networkID]?.ports.removeAll { $0.deviceOwner == DeviceOwner.dhcp } }
            return EmptyResult()
        }
        server = RPCServer(transport: transport, topic: ConductorAPI.topic, host: "fake-api", endpoints: [e], logger: logger)
    }

    public func set(_ network: NetworkInfo) { model.withLock { $0[network.id] = network } }
    public func network(_ id: String) -> NetworkInfo? { model.withLock { $0[id] } }
    public func addPort(_ port: PortInfo) { model.withLock { $0[port.networkID]?.ports.append(port) } }
    public func removePort(_ port: PortInfo) { model.withLock { $0[port.networkID]?.ports.removeAll { $0.id == port.id } } }
    public func remove(_ id: String) { _ = model.withLock { $0.removeValue(forKey: id) } }

    public func start() async {
        let (ready, cont) = AsyncStream.makeStream(of: Void.self)
        let server = self.server
        task.withLock { $0 = Task { try await server.run { cont.yield(); cont.finish() } } }
        for await _ in ready { break }
    }

    public func stop() async {
        await server.stop()
        let t = task.withLock { $0 }
        _ = await t?.result
    }
}
