import DHCPAgentService
import Foundation
import Schemas

extension DHCPBench {
    /// Where an event's time goes on a big network, without processes: apply one port event,
    /// render the configuration, encode the row the agent persists.
    func micro(ports: Int) {
        let base = IPv4Network.parse("10.253.0.0")!
        var net = network(base: base, prefix: 18, ports: ports, macByte: 0xc1)
        net.ports.append(PortInfo(
            id: "dhcp", networkID: net.id, macAddress: "fa:16:3e:ff:ff:ff",
            fixedIPs: [FixedIP(subnetID: net.subnets[0].id, ipAddress: "10.253.0.2")], deviceOwner: DeviceOwner.dhcp))
        var networks = [net.id: ServedNetwork(network: net, dhcpPort: net.ports.last)]
        let renderer = DnsmasqRenderer(settings: DnsmasqRenderer.Settings())
        var coalescer = EventCoalescer()
        var apply: [Double] = [], render: [Double] = [], encode: [Double] = [], compare: [Double] = []
        var previous = renderer.config(for: networks[net.id]!)!
        for i in 0..<10 {
            let port = newPort(on: net, index: ports + i, base: base, macByte: 0xc2)
            var t = ContinuousClock.now
            _ = coalescer.apply([.portUpdate(port)], to: &networks)
            apply.append(ms(ContinuousClock.now - t))
            t = ContinuousClock.now
            let config = renderer.config(for: networks[net.id]!)!
            render.append(ms(ContinuousClock.now - t))
            t = ContinuousClock.now
            _ = DnsmasqAction.decide(applied: previous, running: true, desired: config)
            compare.append(ms(ContinuousClock.now - t))
            previous = config
            t = ContinuousClock.now
            _ = try? JSONEncoder().encode(networks[net.id]!.network)
            encode.append(ms(ContinuousClock.now - t))
        }
        print("per event on a \(ports)-port network (no I/O):")
        print("  apply event to cache : \(summary(apply))")
        print("  render config        : \(summary(render))")
        print("  decide (compare)     : \(summary(compare))")
        print("  JSON-encode the row  : \(summary(encode))")
    }
}
