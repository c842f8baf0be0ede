import Foundation

/// One HTTP request the CLI makes.
public struct HTTPRequest: Sendable {
    /// What goes in the request body.
    public enum Body: Sendable {
        case none
        case data(Data)
        /// Streamed from a file (image uploads).
        case file(URL)
    }

    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Body

    public init(method: String, url: URL, headers: [String: String] = [:], body: Body = .none) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response; header names are lower-cased.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, b in b })
        self.body = body
    }

    /// A header by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Sends HTTP requests. The real one is `URLSessionTransport`; tests inject canned responses.
///
/// Transport failures (connection refused, DNS) throw `CLIError` with openstackclient's wording
/// (`Unable to establish connection to <url>: …`); HTTP error statuses are returned, not thrown.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
