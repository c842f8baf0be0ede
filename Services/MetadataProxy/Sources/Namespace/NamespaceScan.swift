/// Which `qdhcp-<network id>` namespaces to start and stop serving. Pure.
public struct NamespaceScan: Sendable, Equatable {
    public static let prefix = "qdhcp-"

    public var start: [String]
    public var stop: [String]

    /// The network id a namespace name serves, or nil for other namespaces.
    public static func networkID(_ name: String) -> String? {
        guard name.hasPrefix(prefix), name.count > prefix.count else { return nil }
        return String(name.dropFirst(prefix.count))
    }

    public init(present: [String], serving: Set<String>) {
        let wanted = Set(present.filter { Self.networkID($0) != nil })
        start = wanted.subtracting(serving).sorted()
        stop = serving.subtracting(wanted).sorted()
    }
}
