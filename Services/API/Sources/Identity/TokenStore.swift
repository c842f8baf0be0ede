import Foundation
import Storage
import Synchronization

/// Issues and validates bearer tokens. Tokens live in the `tokens` table (so they survive a
/// restart) and in a memory cache (so validating one costs no database read).
public final class TokenStore: Sendable {
    public let database: ServiceDatabase
    public let ttl: Double
    public let now: @Sendable () -> Date
    private let cache = Mutex<[String: AuthContext]>([:])

    public init(database: ServiceDatabase, ttl: Double, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.ttl = ttl
        self.now = now
    }

    /// A new token for `user`, valid for ``ttl`` seconds.
    public func issue(for user: UserAccount) async throws -> AuthContext {
        let issued = now()
        let token = "gAAAA" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let auth = AuthContext(
            token: token, userID: user.id, userName: user.name, projectID: user.projectID, projectName: user.projectName,
            roles: user.roles, issuedAt: issued, expiresAt: issued.addingTimeInterval(ttl))
        let record = TokenRecord(auth)
        try await database.write { db in
            try record.insert(db)
            // Keep the table small: forget tokens that expired a day ago.
            try TokenRecord.filter(Column("expires_at") < issued.addingTimeInterval(-86_400)).deleteAll(db)
        }
        cache.withLock { $0[token] = auth }
        return auth
    }

    /// The token's owner, or nil when unknown or expired.
    public func validate(_ token: String) async throws -> AuthContext? {
        guard token.count <= 512 else { return nil }
        let current = now()
        if let cached = cache.withLock({ $0[token] }) {
            return cached.expiresAt > current ? cached : nil
        }
        guard let record = try await database.read({ db in try TokenRecord.fetchOne(db, key: token) }) else { return nil }
        let auth = record.auth
        guard auth.expiresAt > current else { return nil }
        cache.withLock { $0[token] = auth }
        return auth
    }

    /// Forgets a token (`DELETE /v3/auth/tokens`).
    public func revoke(_ token: String) async throws {
        cache.withLock { _ = $0.removeValue(forKey: token) }
        _ = try await database.write { db in try TokenRecord.deleteOne(db, key: token) }
    }
}

/// A row of `tokens`.
struct TokenRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "tokens"
    var token: String
    var userID: String
    var userName: String
    var projectID: String
    var projectName: String
    var roles: String
    var issuedAt: Date
    var expiresAt: Date

    init(_ a: AuthContext) {
        token = a.token
        userID = a.userID
        userName = a.userName
        projectID = a.projectID
        projectName = a.projectName
        roles = a.roles.joined(separator: ",")
        issuedAt = a.issuedAt
        expiresAt = a.expiresAt
    }

    var auth: AuthContext {
        AuthContext(
            token: token, userID: userID, userName: userName, projectID: projectID, projectName: projectName,
            roles: roles.split(separator: ",").map(String.init), issuedAt: issuedAt, expiresAt: expiresAt)
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
