import DHCPAgentService
import DHCPAgentTestSupport
import Foundation
import Logging
import Messaging
import Schemas
import Synchronization

/// What the real-component tests need from this machine: root, dnsmasq, busybox udhcpc and
/// a broker (`CIRRUS_TEST_TRANSPORT_URL`, exported by scripts/test.sh).
enum RealEnvironment {
    static let transportURL = ProcessInfo.processInfo.environment["CIRRUS_TEST_TRANSPORT_URL"]

    /// Why the real tests cannot run here, or nil when they can.
    static var missing: String? {
        if getuid() != 0 { return "not root (namespaces, bridges and dnsmasq need root)" }
        for tool in ["/usr/sbin/dnsmasq", "/usr/bin/busybox", "/usr/sbin/ip"] where !FileManager.default.isExecutableFile(atPath: tool) {
            if !FileManager.default.isExecutableFile(atPath: tool.replacingOccurrences(of: "/usr", with: "")) { return "\(tool) is missing" }
        }
        if transportURL == nil { return "CIRRUS_TEST_TRANSPORT_URL is not set (start scripts/rabbitmq.sh and export its url)" }
        return nil
    }

    static var enabled: Bool {
        if let missing {
            FileHandle.standardError.write(Data("DHCP agent real-component tests skipped: \(missing)\n".utf8))
            return false
        }
        return true
    }

    /// The harness's broker, but as guest on the vhost `/` (scripts/rabbitmq.sh keeps guest
    /// there): queues are named by topic only, so a fake `conductor` on the shared `cirrus` vhost
    /// would share the queue `conductor` with other suites' fakes whatever the control exchange.
    /// `CIRRUS_DHCP_TEST_TRANSPORT_URL` overrides it.
    static func isolatedURL() throws -> TransportURL {
        if let own = ProcessInfo.processInfo.environment["CIRRUS_DHCP_TEST_TRANSPORT_URL"] { return try TransportURL(parsing: own) }
        var url = try TransportURL(parsing: transportURL ?? "")
        url.virtualHost = "/"
        url.brokers = url.brokers.map { b in
            var b = b
            b.user = "guest"
            b.password = "guest"
            return b
        }
        return url
    }

    static func transport(_ name: String, exchange: String) throws -> MessagingTransport {
        let url = try isolatedURL()
        let amqp = AMQPConfiguration(
            transportURL: url, heartbeatSeconds: 60, retryInterval: 0.2, retryMaximum: 1,
            connectionName: "cirrus-dhcp-tests:\(getpid()):\(name)")
        return MessagingTransport(
            configuration: MessagingConfiguration(
                amqp: amqp, controlExchange: exchange, rpcResponseTimeout: 5, missingConsumerRetryTimeout: 2),
            logger: quietLogger("transport"))
    }

    static func quietLogger(_ label: String) -> Logger {
        var log = Logger(label: "test.\(label)")
        log.logLevel = ProcessInfo.processInfo.environment["CIRRUS_TEST_DEBUG"] == nil ? .critical : .debug
        return log
    }
}

/// Polls `condition` until true or `seconds` pass.
func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// An "instance": its own namespace with one veth whose bridge end is in `bridge`, and a
/// busybox udhcpc that applies option 121 routes itself.
struct InstanceNamespace {
    let name: String
    let mac: String
    let scriptPath: String

    /// Creates `ci<tag>` with `eth0` (MAC `mac`) plugged into `bridge` as `vi<tag>`.
    static func create(tag: String, mac: String, bridge: String, dir: String) throws -> InstanceNamespace {
        let ns = "ci\(tag)"
        let script = dir + "/udhcpc-\(tag).sh"
        try """
            #!/bin/sh
            case "$1" in
              bound|renew)
                ip addr flush dev "$interface"
                ip addr add "$ip/${mask:-24}" dev "$interface"
                if [ -n "$staticroutes" ]; then
                  set -- $staticroutes
                  while [ $# -ge 2 ]; do ip route replace "$1" via "$2" dev "$interface"; shift 2; done
                elif [ -n "$router" ]; then
                  ip route replace default via "${router%% *}" dev "$interface"
                fi
                ;;
            esac
            exit 0

            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let r = sh("""
            ip netns add \(ns) && ip link add vi\(tag) type veth peer name eth0 netns \(ns) && \
            ip link set vi\(tag) master \(bridge) up && ip -n \(ns) link set eth0 address \(mac) up && ip -n \(ns) link set lo up
            """)
        guard r.status == 0 else { throw DHCPAgentError("cannot create instance namespace \(ns): \(r.output)") }
        return InstanceNamespace(name: ns, mac: mac, scriptPath: script)
    }

    /// One DHCP exchange (`-n`: give up after `tries`); true when a lease was obtained.
    func dhcp(tries: Int = 5) -> Bool {
        sh("ip netns exec \(name) busybox udhcpc -i eth0 -s \(scriptPath) -f -q -n -t \(tries) -T 1 -O staticroutes").status == 0
    }

    var addresses: String { sh("ip -n \(name) -4 -o addr show dev eth0").output }
    var routes: String { sh("ip -n \(name) -4 route").output }

    func remove() {
        sh("ip -n \(name) addr flush dev eth0; ip netns del \(name)")
    }
}
