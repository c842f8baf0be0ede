import Foundation
import ServiceKit

/// cirrus-metadata-proxy's options (`[metadata]`), read once at start.
///
/// ```ini
/// [metadata]
/// bind_address = 169.254.169.254   # inside every qdhcp-<network id> namespace
/// bind_port = 80
/// netns_dir = /run/netns
/// namespace_poll_interval = 2      # seconds between scans for qdhcp- namespaces
/// listen =                         # e.g. 127.0.0.1:8775: also a plain listener (routed setups)
/// trusted_proxies =                # peers of the plain listener whose X-Forwarded-For and
///                                  # X-Cirrus-Network-ID are believed
/// domain = novalocal
/// vendor_data =                    # path of a JSON file for vendor_data.json
/// require_token = false            # IMDSv2 only
/// rate_limit = 100                 # requests/s per instance (0: off)
/// rate_limit_burst = 200
/// refill_interval = 300            # seconds between full cache refills from the conductor
/// conductor_timeout = 5
/// negative_cache_seconds = 2       # how long an unknown address is not asked again
/// rendered_cache_size = 1024       # instances whose documents are kept rendered
/// workers = 2                      # event loop threads
/// memory_trim_interval = 30        # seconds between malloc_trim calls (0: never)
/// ```
public struct MetadataOptions: Sendable {
    public var bindAddress = "169.254.169.254"
    public var bindPort = 80
    public var netnsDirectory = "/run/netns"
    public var namespacePollInterval = 2.0
    public var listen: (host: String, port: Int)?
    public var trustedProxies: Set<String> = []
    public var tree = MetadataTreeOptions()
    public var requireToken = false
    public var rateLimit = 100.0
    public var rateLimitBurst = 200.0
    public var refillInterval = 300.0
    public var conductorTimeout = 5.0
    public var negativeCacheSeconds = 2.0
    public var renderedCacheSize = 1024
    public var workers = 2
    public var memoryTrimInterval = 30.0
    /// Largest request body accepted (a password POST: Nova allows 4 × 255 bytes).
    public var maxBodyBytes = 1020

    public init() {}

    public init(reader r: CirrusConfigReader) throws {
        bindAddress = try r.value("metadata.bind_address", default: bindAddress)
        bindPort = try r.value("metadata.bind_port", default: bindPort)
        guard (1...65535).contains(bindPort) else { throw r.invalidValue("metadata.bind_port", expected: "a port 1-65535") }
        netnsDirectory = try r.value("metadata.netns_dir", default: netnsDirectory)
        namespacePollInterval = try r.value("metadata.namespace_poll_interval", default: namespacePollInterval)
        let listenText = try r.value("metadata.listen", default: "")
        if !listenText.isEmpty {
            guard let parsed = Self.hostPort(listenText) else {
                throw r.invalidValue("metadata.listen", expected: "host:port, e.g. 127.0.0.1:8775")
            }
            listen = parsed
        }
        trustedProxies = Set(try r.value("metadata.trusted_proxies", default: [String]()))
        tree.domain = try r.value("metadata.domain", default: tree.domain)
        let vendorPath = try r.value("metadata.vendor_data", default: "")
        if !vendorPath.isEmpty {
            guard let data = FileManager.default.contents(atPath: vendorPath),
                  (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
                throw r.invalidValue("metadata.vendor_data", expected: "a readable file holding a JSON object")
            }
            tree.vendorData = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        requireToken = try r.value("metadata.require_token", default: requireToken)
        rateLimit = try r.value("metadata.rate_limit", default: rateLimit)
        rateLimitBurst = try r.value("metadata.rate_limit_burst", default: rateLimitBurst)
        refillInterval = try r.value("metadata.refill_interval", default: refillInterval)
        conductorTimeout = try r.value("metadata.conductor_timeout", default: conductorTimeout)
        negativeCacheSeconds = try r.value("metadata.negative_cache_seconds", default: negativeCacheSeconds)
        renderedCacheSize = try r.value("metadata.rendered_cache_size", default: renderedCacheSize)
        workers = try r.value("metadata.workers", default: workers)
        memoryTrimInterval = try r.value("metadata.memory_trim_interval", default: memoryTrimInterval)
        guard (1...64).contains(workers) else { throw r.invalidValue("metadata.workers", expected: "1-64 threads") }
    }

    /// `127.0.0.1:8775` → ("127.0.0.1", 8775).
    static func hostPort(_ s: String) -> (host: String, port: Int)? {
        guard let colon = s.lastIndex(of: ":"), let port = Int(s[s.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        let host = String(s[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host.isEmpty ? nil : (host, port)
    }
}
