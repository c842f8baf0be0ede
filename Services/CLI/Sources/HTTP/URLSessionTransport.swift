import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` over Foundation's URLSession.
public struct URLSessionTransport: HTTPTransport {
    /// Seconds before a request is abandoned.
    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 120) { self.timeout = timeout }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var r = URLRequest(url: request.url, timeoutInterval: timeout)
        r.httpMethod = request.method
        for (k, v) in request.headers { r.setValue(v, forHTTPHeaderField: k) }
        let session = URLSession.shared
        do {
            let (data, response): (Data, URLResponse)
            switch request.body {
            case .none:
                (data, response) = try await session.data(for: r)
            case .data(let body):
                r.httpBody = body
                (data, response) = try await session.data(for: r)
            case .file(let file):
                (data, response) = try await session.upload(for: r, fromFile: file)
            }
            guard let http = response as? HTTPURLResponse else {
                throw CLIError("Unexpected non-HTTP response from \(request.url.absoluteString)")
            }
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields {
                if let k = k as? String, let v = v as? String { headers[k] = v }
            }
            return HTTPResponse(status: http.statusCode, headers: headers, body: data)
        } catch let e as CLIError {
            throw e
        } catch {
            throw CLIError("Unable to establish connection to \(request.url.absoluteString): \(Self.describe(error))")
        }
    }

    /// A short reason for a transport failure (`Connection refused`, `timed out`).
    static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        switch ns.code {
        case NSURLErrorCannotConnectToHost: return "Connection refused"
        case NSURLErrorTimedOut: return "The request timed out"
        case NSURLErrorCannotFindHost: return "Name or service not known"
        case NSURLErrorNetworkConnectionLost: return "Connection lost"
        default: return ns.localizedDescription
        }
    }
}
