import DHCPAgentService
import DHCPAgentTestSupport
import Foundation
import Logging
import Messaging
import Schemas

func ms(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

/// `p50 … p99 … max` of milliseconds.
func summary(_ values: [Double]) -> String {
    let s = values.sorted()
    guard !s.isEmpty else { return "no samples" }
    func p(_ q: Double) -> Double { s[min(s.count - 1, Int((Double(s.count) * q).rounded(.up)) - 1)] }
    return String(format: "n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms", s.count, p(0.5), p(0.9), p(0.99), s.last!)
}

func quietLogger(_ label: String) -> Logger {
    var log = Logger(label: "bench.\(label)")
    log.logLevel = ProcessInfo.processInfo.environment["CIRRUS_BENCH_DEBUG"] == nil ? .error : .debug
    return log
}

func transport(_ url: String, name: String, exchange: String) throws -> MessagingTransport {
    let amqp = AMQPConfiguration(
        transportURL: try TransportURL(parsing: url), heartbeatSeconds: 60, retryInterval: 0.2, retryMaximum: 1,
        connectionName: "cirrus-dhcp-bench:\(getpid()):\(name)")
    return MessagingTransport(
        configuration: MessagingConfiguration(
            amqp: amqp, controlExchange: exchange, rpcResponseTimeout: 30, missingConsumerRetryTimeout: 2),
        logger: quietLogger("transport"))
}

/// A client namespace `cb<tag>` whose `eth0` sits in `bridge`; its MAC changes per probe.
struct ProbeClient {
    let ns: String
    let veth: String

    init(tag: String, bridge: String) throws {
        ns = "cb\(tag)"
        veth = "vb\(tag)"
        let r = sh("""
            ip netns add \(ns) && ip link add \(veth) type veth peer name eth0 netns \(ns) && \
            ip link set \(veth) master \(bridge) up && ip -n \(ns) link set eth0 up && ip -n \(ns) link set lo up
            """)
        guard r.status == 0 else { throw DHCPAgentError("cannot create probe namespace: \(r.output)") }
    }

    func use(mac: String) {
        sh("ip -n \(ns) link set eth0 down; ip -n \(ns) link set eth0 address \(mac); ip -n \(ns) link set eth0 up")
    }

    /// One DHCP exchange without configuring anything; true when an address was offered and acked.
    func lease() -> Bool {
        sh("ip netns exec \(ns) busybox udhcpc -i eth0 -s /bin/true -f -q -n -t 3 -T 1").status == 0
    }

    func remove() {
        sh("ip netns del \(ns) 2>/dev/null; ip link del \(veth) 2>/dev/null")
    }
}
