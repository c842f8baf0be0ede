import Foundation
import Hummingbird
import Messaging

/// Keystone v3, as much as the `openstack` client needs: version documents and password tokens.
public struct IdentityRoutes: Sendable {
    public let environment: APIEnvironment

    public init(environment: APIEnvironment) {
        self.environment = environment
    }

    public func register(on router: Router<APIRequestContext>) {
        let base = environment.configuration.publicURL
        router.get("/") { _, _ in
            JSONResponse.make(["versions": ["values": [ServiceCatalog.identityVersion(publicURL: base)]]], status: .multipleChoices)
        }
        router.get("/v3") { _, _ in JSONResponse.make(["version": ServiceCatalog.identityVersion(publicURL: base)]) }
        router.post("/v3/auth/tokens") { request, _ in try await self.issue(request) }
        router.get("/v3/auth/tokens") { request, context in try await self.show(request, context) }
        router.delete("/v3/auth/tokens") { request, _ in
            if let subject = request.headers[Self.subjectToken] { try await environment.tokens.revoke(subject) }
            return JSONResponse.empty(.noContent)
        }
    }

    func issue(_ request: Request) async throws -> Response {
        let credentials = try PasswordAuthRequest.parse(try await request.jsonBody())
        guard let user = credentials.authenticate(users: environment.configuration.users) else {
            throw APIError.unauthorized("The request you have made requires authentication: wrong user name, password or project.")
        }
        let auth = try await environment.tokens.issue(for: user)
        let body = ServiceCatalog.tokenBody(auth, publicURL: environment.configuration.publicURL, region: environment.configuration.region)
        return JSONResponse.make(body, status: .created, headers: [Self.subjectToken: auth.token])
    }

    func show(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        _ = try context.caller()
        guard let subject = request.headers[Self.subjectToken], let auth = try await environment.tokens.validate(subject) else {
            throw APIError.notFound("The token in X-Subject-Token is unknown or has expired.")
        }
        let body = ServiceCatalog.tokenBody(auth, publicURL: environment.configuration.publicURL, region: environment.configuration.region)
        return JSONResponse.make(body, headers: [Self.subjectToken: auth.token])
    }

    static let subjectToken = HeaderName("X-Subject-Token")!
}
