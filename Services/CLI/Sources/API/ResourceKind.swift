import Foundation

/// How one kind of resource is fetched by id and listed by name, for name-or-ID resolution.
public struct ResourceKind: Sendable {
    /// The word in messages (`No image with a name or ID of …`).
    public var name: String
    public var service: ServiceType
    /// Collection path (`servers`); `<path>/<id>` fetches one.
    public var path: String
    /// Key wrapping a single item (`server`), or nil when bodies are bare (Glance).
    public var itemKey: String?
    /// Path listing candidates (`servers/detail`).
    public var listPath: String
    /// Key of the array in the list body (`servers`).
    public var listKey: String
    /// Whether the list accepts a `name=` filter (otherwise it is filtered here).
    public var nameFilter: Bool
    /// Extra list query parameters (`is_public=None`).
    public var listQuery: [(String, String)]
    /// The field compared with the name (`hypervisor_hostname`).
    public var nameField: String

    public init(
        name: String, service: ServiceType, path: String, itemKey: String?, listPath: String, listKey: String,
        nameFilter: Bool = true, listQuery: [(String, String)] = [], nameField: String = "name"
    ) {
        self.name = name
        self.service = service
        self.path = path
        self.itemKey = itemKey
        self.listPath = listPath
        self.listKey = listKey
        self.nameFilter = nameFilter
        self.listQuery = listQuery
        self.nameField = nameField
    }

    public static let server = ResourceKind(
        name: "server", service: .compute, path: "servers", itemKey: "server", listPath: "servers/detail", listKey: "servers")
    public static let flavor = ResourceKind(
        name: "flavor", service: .compute, path: "flavors", itemKey: "flavor", listPath: "flavors/detail", listKey: "flavors",
        nameFilter: false, listQuery: [("is_public", "None")])
    public static let image = ResourceKind(
        name: "image", service: .image, path: "images", itemKey: nil, listPath: "images", listKey: "images")
    public static let network = ResourceKind(
        name: "network", service: .network, path: "networks", itemKey: "network", listPath: "networks", listKey: "networks")
    public static let subnet = ResourceKind(
        name: "subnet", service: .network, path: "subnets", itemKey: "subnet", listPath: "subnets", listKey: "subnets")
    public static let port = ResourceKind(
        name: "port", service: .network, path: "ports", itemKey: "port", listPath: "ports", listKey: "ports")
    public static let hypervisor = ResourceKind(
        name: "hypervisor", service: .compute, path: "os-hypervisors", itemKey: "hypervisor",
        listPath: "os-hypervisors/detail", listKey: "hypervisors", nameFilter: false, nameField: "hypervisor_hostname")

    /// `s` made safe as one path segment.
    static func segment(_ s: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
