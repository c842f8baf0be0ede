import Hummingbird
import Logging

/// Requires a valid `X-Auth-Token` on everything but version documents and token issue;
/// answers 401 otherwise. Puts the caller into the context and its ids into the logger.
public struct TokenAuthMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext
    public let tokens: TokenStore

    public init(tokens: TokenStore) {
        self.tokens = tokens
    }

    public func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        if AuthPolicy.isPublic(method: request.method, path: request.uri.path) {
            return try await next(request, context)
        }
        guard let token = request.headers[Self.authToken], !token.isEmpty else {
            throw APIError.unauthorized("The request you have made requires authentication: send an X-Auth-Token header (get one with POST /v3/auth/tokens).")
        }
        guard let auth = try await tokens.validate(token) else {
            throw APIError.unauthorized("The token is invalid or has expired; authenticate again with POST /v3/auth/tokens.")
        }
        var context = context
        context.auth = auth
        context.logger[metadataKey: "user.id"] = .string(auth.userID)
        context.logger[metadataKey: "project.id"] = .string(auth.projectID)
        return try await next(request, context)
    }

    static let authToken = HeaderName("X-Auth-Token")!
}

/// Which requests need no token. Pure.
public enum AuthPolicy {
    static let versionDocuments: Set<String> = [
        "", "/v3", "/compute", "/compute/v2.1", "/image", "/image/versions", "/network", "/network/v2.0",
        "/networking", "/networking/v2.0",
    ]

    public static func isPublic(method: HTTPRequest.Method, path: String) -> Bool {
        var p = path
        while p.hasSuffix("/") { p.removeLast() }
        if method == .post && p == "/v3/auth/tokens" { return true }
        return (method == .get || method == .head) && versionDocuments.contains(p)
    }
}
