import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Messaging
import Schemas
import Synchronization

/// Downloads image bytes from cirrus-api: `POST <api>/v3/auth/tokens` (Keystone v3 password
/// auth with `[service_auth]`; the token comes back in `X-Subject-Token`), then
/// `GET <api>/image/v2/images/<id>/file` with `X-Auth-Token`. The token is reused until a 401.
public final class HTTPImageSource: ImageSource {
    public struct Credentials: Sendable {
        public var username: String
        public var password: String
        public var projectName: String
        public var userDomain: String = "Default"
        public var projectDomain: String = "Default"
        public init(username: String, password: String, projectName: String) {
            self.username = username
            self.password = password
            self.projectName = projectName
        }
    }

    public let apiURL: String
    public let credentials: Credentials
    private let token = Mutex<String?>(nil)
    private let session: URLSession

    public init(apiURL: String, credentials: Credentials) {
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.credentials = credentials
        let config = URLSessionConfiguration.default
        config.timeoutIntervalForRequest = 60
        config.timeoutIntervalForResource = 3600
        session = URLSession(configuration: config)
    }

    public func download(_ image: ImageSpec, to path: String, context: RequestContext, logger: Logger) async throws {
        for attempt in 0..<2 {
            let auth = try await currentToken(renew: attempt > 0, logger: logger)
            guard let url = URL(string: "\(apiURL)/image/v2/images/\(image.id)/file") else {
                throw ImageFetchError("[api] url \(apiURL) does not make a valid image URL")
            }
            var request = URLRequest(url: url)
            request.setValue(auth, forHTTPHeaderField: "X-Auth-Token")
            request.setValue(context.requestID, forHTTPHeaderField: "X-OpenStack-Request-ID")
            let (tmpURL, response) = try await perform { try await self.session.download(for: request) }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if status == 401, attempt == 0 {
                try? FileManager.default.removeItem(at: tmpURL)
                continue
            }
            guard (200..<300).contains(status) else {
                try? FileManager.default.removeItem(at: tmpURL)
                throw ImageFetchError("GET \(url) answered HTTP \(status): image \(image.id) cannot be downloaded")
            }
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(at: tmpURL, to: URL(fileURLWithPath: path))
            return
        }
        throw ImageFetchError("cirrus-api refused the [service_auth] token twice; check [service_auth] credentials")
    }

    public func imageMetadata(id: String, context: RequestContext, logger: Logger) async throws -> ImageSpec {
        guard let url = URL(string: "\(apiURL)/image/v2/images/\(id)") else {
            throw ImageFetchError("[api] url \(apiURL) does not make a valid image URL")
        }
        for attempt in 0..<2 {
            var request = URLRequest(url: url)
            request.setValue(try await currentToken(renew: attempt > 0, logger: logger), forHTTPHeaderField: "X-Auth-Token")
            request.setValue(context.requestID, forHTTPHeaderField: "X-OpenStack-Request-ID")
            let (body, response) = try await perform { try await self.session.data(for: request) }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if status == 401, attempt == 0 { continue }
            guard (200..<300).contains(status) else {
                throw ImageFetchError("GET \(url) answered HTTP \(status): image \(id) cannot be read")
            }
            return try GlanceImageRecord.spec(from: body)
        }
        throw ImageFetchError("cirrus-api refused the [service_auth] token twice; check [service_auth] credentials")
    }

    private func currentToken(renew: Bool, logger: Logger) async throws -> String {
        if !renew, let t = token.withLock({ $0 }) { return t }
        guard let url = URL(string: "\(apiURL)/v3/auth/tokens") else {
            throw ImageFetchError("[api] url \(apiURL) is not a valid URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: authBody())
        let (_, response) = try await perform { try await self.session.data(for: request) }
        let http = response as? HTTPURLResponse
        guard let http, (200..<300).contains(http.statusCode), let t = http.value(forHTTPHeaderField: "X-Subject-Token") else {
            throw ImageFetchError(
                "POST \(url) answered HTTP \(http?.statusCode ?? 0) without a token: check [service_auth] username, password, project_name")
        }
        logger.debug("Got a service token from cirrus-api")
        token.withLock { $0 = t }
        return t
    }

    private func authBody() -> [String: Any] {
        let c = credentials
        return ["auth": [
            "identity": ["methods": ["password"], "password": ["user": [
                "name": c.username, "password": c.password, "domain": ["name": c.userDomain],
            ]]],
            "scope": ["project": ["name": c.projectName, "domain": ["name": c.projectDomain]]],
        ]]
    }

    private func perform<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw ImageFetchError("cannot reach cirrus-api at \(apiURL) ([api] url): \(error)")
        }
    }
}
