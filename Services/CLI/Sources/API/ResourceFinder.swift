import Messaging

/// Name-or-ID resolution exactly like openstackclient: `GET <path>/<x>`; on 404 (or 400/403)
/// list with `?name=<x>` and keep exact matches of name or id; none → `No <kind> with a name or ID
/// of '<x>' exists.`, several → `More than one <kind> exists with the name '<x>'.`
public struct ResourceFinder: Sendable {
    public let client: APIClient

    public init(client: APIClient) { self.client = client }

    /// The resource named or identified by `ident`.
    public func find(_ kind: ResourceKind, _ ident: String) async throws -> JSONValue {
        let direct = try await client.raw("GET", kind.service, "\(kind.path)/\(ResourceKind.segment(ident))")
        if (200..<300).contains(direct.status), let body = try? JSONValue.parse(direct.body) {
            if let key = kind.itemKey { if let item = body[key] { return item } } else { return body }
        } else if ![400, 403, 404].contains(direct.status) {
            throw APIError(response: direct)
        }
        let query = kind.listQuery + (kind.nameFilter ? [("name", ident)] : [])
        let listed = try await client.raw("GET", kind.service, kind.listPath, query: query)
        guard (200..<300).contains(listed.status) else {
            if kind.service == .network && listed.status == 404 { throw CLIError.networkUnavailable }
            throw APIError(response: listed)
        }
        let items = (try? JSONValue.parse(listed.body))?[kind.listKey]?.arrayValue ?? []
        return try ResourceFinder.pick(items, ident: ident, kind: kind)
    }

    /// The decision, separated from I/O: an id match wins; otherwise exactly one exact name match.
    public static func pick(_ items: [JSONValue], ident: String, kind: ResourceKind) throws -> JSONValue {
        if let byID = items.first(where: { $0["id"]?.idString == ident }) { return byID }
        let named = items.filter { $0[kind.nameField]?.stringValue == ident }
        switch named.count {
        case 1: return named[0]
        case 0: throw CLIError.notFound(kind.name, ident)
        default: throw CLIError.ambiguous(kind.name, ident)
        }
    }

    /// The id of the resource named or identified by `ident`.
    public func id(_ kind: ResourceKind, _ ident: String) async throws -> String {
        let item = try await find(kind, ident)
        guard let id = item["id"]?.idString else {
            throw CLIError("The \(kind.name) '\(ident)' came back without an id.")
        }
        return id
    }
}
