import Foundation
import Logging

/// The request context that travels with every message as flat `_context_<key>` entries,
/// as oslo.context does: at least the request id (`req-<uuid>`), the user and the project.
public struct RequestContext: Sendable, Hashable {
    /// `req-<uuid>`; every log line written while handling the message carries it.
    public var requestID: String
    public var userID: String?
    public var projectID: String?
    public var roles: [String]
    public var isAdmin: Bool
    /// Other `_context_*` entries, kept so they travel on unchanged.
    public var extra: [String: JSONValue]

    public init(
        requestID: String = RequestContext.newRequestID(),
        userID: String? = nil,
        projectID: String? = nil,
        roles: [String] = [],
        isAdmin: Bool = false,
        extra: [String: JSONValue] = [:]
    ) {
        self.requestID = requestID
        self.userID = userID
        self.projectID = projectID
        self.roles = roles
        self.isAdmin = isAdmin
        self.extra = extra
    }

    /// A fresh `req-<uuid>`.
    public static func newRequestID() -> String {
        "req-" + FastID.uuidString()
    }

    /// An admin context for a service's own work (heartbeats, periodic tasks).
    public static func service(_ name: String) -> RequestContext {
        RequestContext(userID: name, projectID: "service", roles: ["admin"], isAdmin: true)
    }

    static let prefix = "_context_"

    /// The wire entries, keys without the `_context_` prefix.
    public var wireEntries: [String: JSONValue] {
        var d = extra
        d["request_id"] = .string(requestID)
        d["global_request_id"] = d["global_request_id"] ?? .null
        if let userID {
            d["user_id"] = .string(userID)
            d["user"] = .string(userID)
        }
        if let projectID {
            d["project_id"] = .string(projectID)
            d["project"] = .string(projectID)
        }
        d["roles"] = .array(roles.map { .string($0) })
        d["is_admin"] = .bool(isAdmin)
        return d
    }

    /// Writes `, "_context_<key>": <value>` for every wire entry, keys sorted, as the request
    /// and notification writers put them. Without extra entries (the usual case) the fixed
    /// keys are written in order directly, with no dictionary built per message.
    func writeWireEntries(to w: inout MessageWriter) {
        guard extra.isEmpty else {
            for (k, v) in wireEntries.sorted(by: { $0.key < $1.key }) {
                w.json(", ")
                w.string(Self.prefix + k)
                w.json(": ")
                w.json(v.serialized())
            }
            return
        }
        w.json(", \"_context_global_request_id\": null, \"_context_is_admin\": ")
        w.json(isAdmin ? "true" : "false")
        if let projectID {
            w.json(", \"_context_project\": ")
            w.string(projectID)
            w.json(", \"_context_project_id\": ")
            w.string(projectID)
        }
        w.json(", \"_context_request_id\": ")
        w.string(requestID)
        w.json(", \"_context_roles\": [")
        for (n, role) in roles.enumerated() {
            if n > 0 { w.json(", ") }
            w.string(role)
        }
        w.json("]")
        if let userID {
            w.json(", \"_context_user\": ")
            w.string(userID)
            w.json(", \"_context_user_id\": ")
            w.string(userID)
        }
    }

    /// Rebuilds a context from wire entries (keys without prefix). A missing or malformed
    /// request id is replaced by a new one, so logs stay traceable.
    public init(wireEntries d: [String: JSONValue]) {
        self.init(wire: WireContext(entries: d))
    }

    /// Rebuilds a context from the entries read off the wire: `user_id` before `user`,
    /// `project_id` before `project` and `tenant`; other non-null entries (a non-null
    /// `global_request_id` among them) are kept in ``extra``.
    init(wire w: WireContext) {
        var extra = w.extra
        if extra.values.contains(.null) { extra = extra.filter { $0.value != .null } }
        if let g = w[.globalRequestID], g != .null { extra["global_request_id"] = g }
        let rid = w[.requestID]?.stringValue
        self.init(
            requestID: (rid?.hasPrefix("req-") ?? false) ? rid! : RequestContext.newRequestID(),
            userID: w[.userID]?.stringValue ?? w[.user]?.stringValue,
            projectID: w[.projectID]?.stringValue ?? w[.project]?.stringValue ?? w[.tenant]?.stringValue,
            roles: (w[.roles].flatMap { if case .array(let a) = $0 { a.compactMap(\.stringValue) } else { nil } }) ?? [],
            isAdmin: w[.isAdmin] == .bool(true),
            extra: extra
        )
    }

    /// Logger metadata for this context (`request.id`, `user.id`, `project.id`).
    public var loggerMetadata: Logger.Metadata {
        var m: Logger.Metadata = ["request.id": .string(requestID)]
        if let userID { m["user.id"] = .string(userID) }
        if let projectID { m["project.id"] = .string(projectID) }
        return m
    }

    /// A copy of `logger` carrying this context's metadata.
    public func logger(_ logger: Logger) -> Logger {
        var l = logger
        l.handler.metadata.merge(loggerMetadata) { $1 }
        return l
    }
}
