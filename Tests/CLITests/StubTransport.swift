import Foundation
@testable import CLI

/// Canned HTTP answers keyed by `METHOD path?query` (path relative to the host), recording requests.
final class StubTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var routes: [String: HTTPResponse] = [:]
    private var recorded: [HTTPRequest] = []

    /// Answers `key` with `status` and a JSON (or text) body.
    func on(_ key: String, _ status: Int, _ body: String = "", headers: [String: String] = [:]) {
        lock.withLock { routes[key] = HTTPResponse(status: status, headers: headers, body: Data(body.utf8)) }
    }

    var requests: [HTTPRequest] { lock.withLock { recorded } }

    /// `METHOD path?query` of each request made.
    var keys: [String] { requests.map(StubTransport.key) }

    static func key(_ r: HTTPRequest) -> String {
        var k = r.method + " " + r.url.path
        if let q = r.url.query { k += "?" + q }
        return k
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try lock.withLock {
            recorded.append(request)
            if let r = routes[StubTransport.key(request)] { return r }
            if request.url.port == 1 {
                throw CLIError("Unable to establish connection to \(request.url.absoluteString): Connection refused")
            }
            return HTTPResponse(status: 404, body: Data("{\"itemNotFound\": {\"code\": 404, \"message\": \"not stubbed\"}}".utf8))
        }
    }
}

/// A client whose catalog points every service at http://cloud.test (network optional).
func stubClient(_ stub: StubTransport, network: Bool = true) -> APIClient {
    var endpoints = [
        Catalog.Endpoint(type: "compute", interface: "public", region: "RegionOne", url: "http://cloud.test/compute/v2.1"),
        Catalog.Endpoint(type: "image", interface: "public", region: "RegionOne", url: "http://cloud.test/image"),
    ]
    if network {
        endpoints.append(Catalog.Endpoint(type: "network", interface: "public", region: "RegionOne", url: "http://cloud.test/network"))
    }
    return APIClient(transport: stub, token: "tok", catalog: Catalog(endpoints: endpoints))
}
