import Foundation
@testable import MetadataProxyService
import Testing

/// The NIO server on loopback (plain listener, 127.0.0.1 trusted) with real sockets.
struct HTTPServerTests {
    func withServer(_ body: (Int) async throws -> Void) async throws {
        var o = MetadataOptions()
        o.trustedProxies = ["127.0.0.1"]
        let service = try await TestSupport.service(FakeInstanceSource([Fixtures.instance(1)]), options: o)
        let server = MetadataHTTPServer(service: service, threads: 1)
        let channel = try await server.listen(host: "127.0.0.1", port: 0)
        let port = try #require(channel.localAddress?.port)
        do {
            try await body(port)
        } catch {
            try? await channel.close()
            try? await server.shutdown()
            throw error
        }
        try await channel.close()
        try await server.shutdown()
    }

    static let ident = "X-Forwarded-For: 10.0.0.4\r\nX-Cirrus-Network-ID: \(Fixtures.networkID)\r\n"

    @Test func servesKeepAliveRequestsOnOneConnection() async throws {
        try await withServer { port in
            let one = "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n\(Self.ident)\r\n"
            let last = "GET /latest/meta-data/local-ipv4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\(Self.ident)\r\n"
            let raw = try await RawHTTPClient.exchange(port: port, one + one + last)
            #expect(RawHTTPClient.statuses(raw) == [200, 200, 200])
            #expect(raw.contains("Content-Type: text/plain; charset=UTF-8"))
            #expect(raw.contains("\r\n\r\ni-0000002b"))
            #expect(raw.hasSuffix("10.0.0.4"))
        }
    }

    @Test func rootAndHeadAndUnknownPaths() async throws {
        try await withServer { port in
            let root = try await RawHTTPClient.exchange(port: port, "GET / HTTP/1.0\r\n\r\n")
            #expect(root.hasPrefix("HTTP/1.0 200") && root.hasSuffix("2009-04-04\nlatest"))
            let head = try await RawHTTPClient.exchange(port: port, "HEAD /latest/meta-data/instance-id HTTP/1.0\r\n\(Self.ident)\r\n")
            #expect(head.hasPrefix("HTTP/1.0 200") && head.contains("Content-Length: 10") && !head.contains("i-0000"))
            let missing = try await RawHTTPClient.exchange(port: port, "GET /latest/meta-data/nope/../../x HTTP/1.0\r\n\(Self.ident)\r\n")
            #expect(missing.hasPrefix("HTTP/1.0 404"))
        }
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400),
        ("GET /latest/%ff%fe HTTP/1.0\r\n\(ident)\r\n", 400),
        ("GET /latest/%zz HTTP/1.0\r\n\(ident)\r\n", 400),
        ("DELETE /latest/meta-data HTTP/1.0\r\n\(ident)\r\n", 405),
        ("GET /../../../../etc/passwd HTTP/1.0\r\n\(ident)\r\n", 404),
        ("GET /latest/meta-data/instance-id/x HTTP/1.0\r\n\(ident)\r\n", 404),
        ("GET /latest/meta-data HTTP/1.0\r\nX-Forwarded-For: 10.0.0.77\r\nX-Cirrus-Network-ID: \(Fixtures.networkID)\r\n\r\n", 404),
        ("POST /openstack/latest/password HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\(ident)\r\n" + String(repeating: "a", count: 5000), 413),
    ])
    func hostileRequestsGet4xx(request: String, status: Int) async throws {
        try await withServer { port in
            let raw = try await RawHTTPClient.exchange(port: port, request)
            #expect(RawHTTPClient.statuses(raw).first == status, "\(raw.prefix(80))")
        }
    }

    @Test func hugeHeadersAreRefusedAndTheServerLives() async throws {
        try await withServer { port in
            let big = "GET /latest HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 200_000))\r\n\r\n"
            let raw = try await RawHTTPClient.exchange(port: port, big)
            #expect(raw.isEmpty || RawHTTPClient.statuses(raw).allSatisfy { (400..<500).contains($0) })
            let after = try await RawHTTPClient.exchange(port: port, "GET /latest/meta-data/instance-id HTTP/1.0\r\n\(Self.ident)\r\n")
            #expect(after.hasSuffix("i-0000002b"))
        }
    }

    @Test func tokenOverHTTP() async throws {
        try await withServer { port in
            let put = try await RawHTTPClient.exchange(port: port,
                "PUT /latest/api/token HTTP/1.0\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\n\(Self.ident)\r\n")
            #expect(put.hasPrefix("HTTP/1.0 200"))
            let token = try #require(put.components(separatedBy: "\r\n\r\n").last)
            let get = try await RawHTTPClient.exchange(port: port,
                "GET /latest/meta-data/instance-id HTTP/1.0\r\nX-aws-ec2-metadata-token: \(token)\r\n\(Self.ident)\r\n")
            #expect(get.hasSuffix("i-0000002b"))
        }
    }
}
