import Foundation
@testable import MetadataProxyService
import ServiceKit
import Testing

struct MetadataOptionsTests {
    func reader(_ ini: String) throws -> CirrusConfigReader {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("md-\(UUID().uuidString).conf").path
        try ini.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try CirrusConfigReader.load(configFiles: [path])
    }

    @Test func defaults() throws {
        let o = try MetadataOptions(reader: reader("[DEFAULT]\n"))
        #expect(o.bindAddress == "169.254.169.254" && o.bindPort == 80 && o.listen == nil)
        #expect(o.tree.domain == "novalocal" && !o.requireToken && o.rateLimit == 100 && o.rateLimitBurst == 200)
    }

    @Test func everyOption() throws {
        let vendor = FileManager.default.temporaryDirectory.appendingPathComponent("vd-\(UUID().uuidString).json").path
        try "{\"x\": [1]}\n".write(toFile: vendor, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: vendor) }
        let o = try MetadataOptions(reader: reader("""
            [metadata]
            bind_port = 8080
            listen = 127.0.0.1:8775
            trusted_proxies = 127.0.0.1, 10.0.0.9
            domain = example.org
            vendor_data = \(vendor)
            require_token = true
            rate_limit = 5
            workers = 1
            """))
        #expect(o.bindPort == 8080)
        #expect(o.listen?.host == "127.0.0.1" && o.listen?.port == 8775)
        #expect(o.trustedProxies == ["127.0.0.1", "10.0.0.9"])
        #expect(o.tree.domain == "example.org" && o.tree.vendorData == "{\"x\": [1]}")
        #expect(o.requireToken && o.rateLimit == 5 && o.workers == 1)
    }

    @Test(arguments: ["listen = nope", "bind_port = 0", "vendor_data = /nonexistent.json", "workers = 0"])
    func badValuesNameTheOption(line: String) throws {
        #expect(throws: ConfigurationError.self) { try MetadataOptions(reader: reader("[metadata]\n\(line)\n")) }
    }
}
