import Foundation
import Messaging

/// Who a token belongs to: user, project, roles and validity.
public struct AuthContext: Sendable, Equatable, Codable {
    public var token: String
    public var userID: String
    public var userName: String
    public var projectID: String
    public var projectName: String
    public var roles: [String]
    public var issuedAt: Date
    public var expiresAt: Date

    public init(
        token: String, userID: String, userName: String, projectID: String, projectName: String, roles: [String],
        issuedAt: Date, expiresAt: Date
    ) {
        self.token = token
        self.userID = userID
        self.userName = userName
        self.projectID = projectID
        self.projectName = projectName
        self.roles = roles
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    public var isAdmin: Bool { roles.contains("admin") }

    /// Nova's default policy: the owner project, or an admin.
    public func mayAccess(projectID owner: String) -> Bool { isAdmin || owner == projectID }

    /// The RPC request context for work this request triggers.
    public func rpcContext(requestID: String) -> Messaging.RequestContext {
        Messaging.RequestContext(requestID: requestID, userID: userID, projectID: projectID, roles: roles, isAdmin: isAdmin)
    }

    enum CodingKeys: String, CodingKey {
        case token
        case userID = "user_id"
        case userName = "user_name"
        case projectID = "project_id"
        case projectName = "project_name"
        case roles
        case issuedAt = "issued_at"
        case expiresAt = "expires_at"
    }
}
