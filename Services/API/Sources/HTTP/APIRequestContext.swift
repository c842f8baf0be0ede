import Foundation
import Hummingbird
import Logging

/// The per-request context of cirrus-api: Hummingbird's core storage plus the OpenStack
/// request id (`req-<uuid>`) and, after ``TokenAuthMiddleware``, who is calling.
public struct APIRequestContext: Hummingbird.RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `req-<uuid>`, returned in `x-openstack-request-id` and carried into the RPCs it triggers.
    public var requestID: String
    /// The caller, once the token was validated; nil on public paths.
    public var auth: AuthContext?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestID = "req-" + UUID().uuidString.lowercased()
        auth = nil
    }

    /// JSON bodies are small; image uploads stream and are not limited by this.
    public var maxUploadSize: Int { APIRequestContext.maxJSONBody }

    /// 256 KiB: room for Nova's largest field, 65535 characters of base64 `user_data`.
    public static let maxJSONBody = 256 * 1024

    /// The caller; throws 401 when the route is reached without a token (a wiring error).
    public func caller() throws -> AuthContext {
        guard let auth else { throw APIError.unauthorized() }
        return auth
    }
}
