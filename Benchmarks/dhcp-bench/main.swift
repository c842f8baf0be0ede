import DHCPAgentService
import Foundation
import Logging
import Messaging
import Schemas

// cirrus-dhcp-bench: the real DHCP agent (in-process: real ip, dnsmasq, SQLite) against a fake
// conductor over RabbitMQ, with busybox udhcpc probes in their own namespace. Root only.
//   cirrus-dhcp-bench [--transport-url URL] [--ports 200] [--networks 100] [--ports-per-network 100] [--big 10000] [--probe dhcp_probe.py]
// The URL defaults to $CIRRUS_TEST_TRANSPORT_URL.

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String?) -> String? {
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}
guard let url = option("--transport-url", ProcessInfo.processInfo.environment["CIRRUS_TEST_TRANSPORT_URL"]) else {
    print("cirrus-dhcp-bench: give --transport-url or set CIRRUS_TEST_TRANSPORT_URL (scripts/rabbitmq.sh url)")
    exit(2)
}
guard getuid() == 0 else {
    print("cirrus-dhcp-bench: needs root (namespaces, bridges, dnsmasq)")
    exit(2)
}
let latencyPorts = Int(option("--ports", "200")!)!
let networkCount = Int(option("--networks", "100")!)!
let portsPerNetwork = Int(option("--ports-per-network", "100")!)!
let bigPorts = Int(option("--big", "10000")!)!
let only = option("--only", nil)

let bench = try DHCPBench(url: url)
if let probe = option("--probe", nil) { bench.probeScript = probe }
await bench.conductor.start()
if only == "conductor" {
    // Manual checks of the real binary: serve a fake conductor with one network (two ports) on
    // the bench's exchange (printed) until killed.
    let base = IPv4Network.parse("10.254.7.0")!
    let net = bench.network(base: base, prefix: 24, ports: 2, macByte: 0xee)
    bench.conductor.set(net)
    print("exchange=\(bench.exchange) network=\(net.id) bridge=\(DHCPNames.bridge(net.id))")
    for p in net.ports { print("port \(p.macAddress) \(p.fixedIPs[0].ipAddress)") }
    fflush(nil)
    while true { try await Task.sleep(for: .seconds(3600)) }
}
do {
    if only == nil || only == "latency" { try await bench.portToServed(count: latencyPorts) }
    if only == nil || only == "resync" { try await bench.fullResync(networks: networkCount, portsPerNetwork: portsPerNetwork) }
    if only == "micro" { bench.micro(ports: bigPorts) }
    if only == nil || only == "big" { try await bench.bigReload(ports: bigPorts, probes: 20) }
} catch {
    print("cirrus-dhcp-bench: \(error)")
}
await bench.cleanup()
