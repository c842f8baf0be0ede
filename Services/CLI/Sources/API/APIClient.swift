import Foundation
import Messaging

/// The OpenStack services the CLI speaks to, with the version path each is used under.
public enum ServiceType: String, Sendable {
    case compute, image, network

    /// The catalog URL made into the base for resource paths: compute as listed (`…/v2.1`),
    /// image under `/v2`, network under `/v2.0` (both added unless the catalog already has them).
    func base(_ catalogURL: String) -> String {
        var u = catalogURL
        while u.hasSuffix("/") { u.removeLast() }
        switch self {
        case .compute: return u
        case .image: return u.hasSuffix("/v2") ? u : u + "/v2"
        case .network: return u.hasSuffix("/v2.0") ? u : u + "/v2.0"
        }
    }
}

/// An authenticated session: sends requests with the token to endpoints from the catalog,
/// and turns error statuses into `APIError`.
public struct APIClient: Sendable {
    public let transport: any HTTPTransport
    public let token: String
    public let catalog: Catalog
    public let interface: String
    public let region: String?

    public init(transport: any HTTPTransport, token: String, catalog: Catalog, interface: String = "public", region: String? = nil) {
        self.transport = transport
        self.token = token
        self.catalog = catalog
        self.interface = interface
        self.region = region
    }

    /// The base URL for a service, or a clear error naming what the catalog lacks.
    public func base(_ service: ServiceType) throws -> String {
        guard let url = catalog.url(type: service.rawValue, interface: interface, region: region) else {
            if service == .network { throw CLIError.networkUnavailable }
            throw CLIError("The service catalog has no \(interface) '\(service.rawValue)' endpoint\(region.map { " in region \($0)" } ?? "").")
        }
        return service.base(url)
    }

    /// `<base>/<path>?<query>` with the query values percent-encoded.
    public func url(_ service: ServiceType, _ path: String, query: [(String, String)] = []) throws -> URL {
        var s = try base(service) + (path.hasPrefix("/") ? path : "/" + path)
        if !query.isEmpty {
            var allowed = CharacterSet.urlQueryAllowed
            allowed.remove(charactersIn: "&=+?#")
            s += "?" + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }
                .joined(separator: "&")
        }
        guard let url = URL(string: s) else { throw CLIError("Cannot build a URL from '\(s)'.") }
        return url
    }

    /// Sends a request and returns the response whatever its status.
    public func raw(
        _ method: String, _ service: ServiceType, _ path: String, query: [(String, String)] = [],
        json: JSONValue? = nil, body: HTTPRequest.Body = .none, contentType: String? = nil
    ) async throws -> HTTPResponse {
        var headers = ["X-Auth-Token": token, "Accept": "application/json"]
        if service == .compute {
            headers["OpenStack-API-Version"] = "compute 2.1"
            headers["X-OpenStack-Nova-API-Version"] = "2.1"
        }
        var payload = body
        if let json {
            payload = .data(try JSONEncoder().encode(json))
            headers["Content-Type"] = "application/json"
        }
        if let contentType { headers["Content-Type"] = contentType }
        return try await transport.send(HTTPRequest(method: method, url: try url(service, path, query: query), headers: headers, body: payload))
    }

    /// Sends a request; a non-2xx status throws `APIError`; the JSON body (or `.null` when empty) is returned.
    @discardableResult
    public func send(
        _ method: String, _ service: ServiceType, _ path: String, query: [(String, String)] = [],
        json: JSONValue? = nil, body: HTTPRequest.Body = .none, contentType: String? = nil
    ) async throws -> JSONValue {
        let r = try await raw(method, service, path, query: query, json: json, body: body, contentType: contentType)
        guard (200..<300).contains(r.status) else { throw APIError(response: r) }
        if r.body.isEmpty { return .null }
        guard let value = try? JSONValue.parse(r.body) else {
            throw CLIError("\(method) \(path) answered with a body that is not JSON.")
        }
        return value
    }

    /// `GET` returning JSON.
    public func get(_ service: ServiceType, _ path: String, query: [(String, String)] = []) async throws -> JSONValue {
        try await send("GET", service, path, query: query)
    }
}
