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
        self.init(present: Dictionary(present.map { ($0, UInt64(0)) }, uniquingKeysWith: { a, _ in a }),
                  serving: Dictionary(serving.map { ($0, UInt64(0)) }, uniquingKeysWith: { a, _ in a }))
    }

    /// With namespace identities (the nsfs inode): a namespace deleted and re-created under the
    /// same name between two scans is restarted (the old socket lives in the dead namespace).
    public init(present: [String: UInt64], serving: [String: UInt64]) {
        let wanted = present.filter { Self.networkID($0.key) != nil }
        let replaced = serving.filter { name, inode in wanted[name].map { $0 != inode } ?? false }.keys
        start = (Set(wanted.keys).subtracting(serving.keys).union(replaced)).sorted()
        stop = (Set(serving.keys).subtracting(wanted.keys).union(replaced)).sorted()
    }
}
