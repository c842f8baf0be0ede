import Foundation

/// One configured user (`[users] <name> = <password>,<project>,<role>`), with stable ids
/// derived from the names (Keystone-style 32 hex digits).
public struct UserAccount: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var name: String
    public var password: String
    public var projectName: String
    /// `admin` or `member`.
    public var role: String

    public init(name: String, password: String, projectName: String, role: String) {
        self.name = name
        self.password = password
        self.projectName = projectName
        self.role = role
    }

    /// Never the password: safe to log, also inside a configuration printed whole.
    public var description: String { "UserAccount(name: \(name), project: \(projectName), role: \(role), password: ***)" }
    public var debugDescription: String { description }

    public var id: String { StableID.user(name) }
    public var projectID: String { StableID.project(projectName) }
    public var isAdmin: Bool { role == "admin" }
    /// Keystone's implied roles: admin implies member implies reader.
    public var roles: [String] { isAdmin ? ["admin", "member", "reader"] : ["member", "reader"] }

    /// Parses `<password>,<project>,<role>`; the password may itself contain commas.
    /// - Returns: nil with the reason when the value is malformed.
    public static func parse(name: String, value: String) -> Result<UserAccount, UserAccountError> {
        let parts = value.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count >= 3 else {
            return .failure(UserAccountError(message: "expected '<password>,<project>,<role>'"))
        }
        let role = parts[parts.count - 1]
        let project = parts[parts.count - 2]
        let password = parts[0..<(parts.count - 2)].joined(separator: ",")
        guard !name.isEmpty, name.count <= 255 else {
            return .failure(UserAccountError(message: "the user name must be 1-255 characters"))
        }
        guard !password.isEmpty else { return .failure(UserAccountError(message: "the password is empty")) }
        guard !project.isEmpty, project.count <= 64 else {
            return .failure(UserAccountError(message: "the project name must be 1-64 characters"))
        }
        guard role == "admin" || role == "member" else {
            return .failure(UserAccountError(message: "the role must be 'admin' or 'member', not '\(role)'"))
        }
        return .success(UserAccount(name: name, password: password, projectName: project, role: role))
    }
}

/// Why a `[users]` line was refused.
public struct UserAccountError: Error, Sendable, Equatable {
    public var message: String
}

/// Stable ids for projects and users: MD5 of a typed name, as 32 hex digits.
public enum StableID {
    public static func project(_ name: String) -> String { MD5.hex(Array("cirrus-project:\(name)".utf8)) }
    public static func user(_ name: String) -> String { MD5.hex(Array("cirrus-user:\(name)".utf8)) }
}
