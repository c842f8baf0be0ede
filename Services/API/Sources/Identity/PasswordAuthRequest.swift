import Foundation
import Messaging

/// A Keystone v3 password authentication request, parsed and checked. Pure.
public struct PasswordAuthRequest: Sendable, Equatable {
    public var userName: String?
    public var userID: String?
    public var password: String
    public var projectName: String?
    public var projectID: String?

    /// Reads `{"auth": {"identity": {"methods": ["password"], "password": {"user": ...}}, "scope": ...}}`.
    public static func parse(_ body: Data) throws -> PasswordAuthRequest {
        let auth = try BodyFields.root(body, key: "auth")
        guard let identity = try auth.object("identity") else {
            throw APIError.badRequest("Invalid input for field/attribute auth.identity: 'identity' is a required property")
        }
        let methods = (try identity.array("methods") ?? []).compactMap(\.stringValue)
        guard methods.contains("password") else {
            throw APIError.unauthorized("Only the 'password' authentication method is supported; send auth.identity.methods [\"password\"].")
        }
        guard let user = try identity.object("password")?.object("user") else {
            throw APIError.badRequest("Invalid input for field/attribute auth.identity.password.user: 'user' is a required property")
        }
        var request = PasswordAuthRequest(
            userName: try user.string("name"), userID: try user.string("id"), password: try user.requiredString("password"))
        guard request.userName != nil || request.userID != nil else {
            throw APIError.badRequest("Invalid input for field/attribute auth.identity.password.user: give a 'name' or an 'id'")
        }
        if let project = try auth.object("scope")?.object("project") {
            request.projectName = try project.string("name")
            request.projectID = try project.string("id")
        }
        return request
    }

    /// The configured user these credentials and this scope name, or nil (401).
    public func authenticate(users: [UserAccount]) -> UserAccount? {
        guard let user = users.first(where: { u in
            (userName.map { $0.lowercased() == u.name.lowercased() } ?? false) || userID == u.id
        }) else { return nil }
        guard Self.constantTimeEquals(user.password, password) else { return nil }
        if let projectName, projectName != user.projectName { return nil }
        if let projectID, projectID != user.projectID { return nil }
        return user
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return diff == 0
    }
}
