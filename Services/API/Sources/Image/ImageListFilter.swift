import Hummingbird

/// Glance list filters: `name`, `status`, `visibility`, `owner`, `id=in:a,b`, `limit`. Pure.
public struct ImageListFilter: Sendable {
    public var name: String?
    public var status: String?
    public var visibility: String?
    public var owner: String?
    public var ids: Set<String>?
    public var limit: Int

    public init(query: [String: String]) {
        func value(_ key: String) -> String? { query[key] }
        name = value("name")
        status = value("status")
        visibility = value("visibility").flatMap { $0 == "all" ? nil : $0 }
        owner = value("owner")
        if let id = value("id") {
            ids = Set((id.hasPrefix("in:") ? String(id.dropFirst(3)) : id).split(separator: ",").map(String.init))
        }
        limit = value("limit").flatMap { Int($0) }.map { max(0, $0) } ?? Int.max
    }

    public func matches(_ image: ImageRecord) -> Bool {
        if let name, image.name != name { return false }
        if let status, image.status != status { return false }
        if let visibility, image.visibility != visibility { return false }
        if let owner, image.owner != owner { return false }
        if let ids, !ids.contains(image.id) { return false }
        return true
    }
}
