/// One node of a metadata tree: a directory (listed one entry per line) or a leaf.
public indirect enum MetadataNode: Sendable, Equatable {
    /// Entries in listing order. `label` replaces `name/` in the parent's listing (only
    /// `public-keys/0`, listed as `0=<keyname>`).
    case directory([Entry], label: String? = nil)
    /// A text or binary leaf.
    case leaf([UInt8], contentType: String = MetadataResponse.textPlain)
    /// `meta_data.json`: rendered per request with a fresh `random_seed` between the parts.
    case seededJSON(prefix: String, suffix: String)

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var node: MetadataNode
        public init(_ name: String, _ node: MetadataNode) {
            self.name = name
            self.node = node
        }
    }

    public static func text(_ s: String, contentType: String = MetadataResponse.textPlain) -> MetadataNode {
        .leaf(Array(s.utf8), contentType: contentType)
    }

    /// A directory whose entries are sorted by name, as Nova's `ec2_md_print` lists them.
    public static func sortedDirectory(_ entries: [Entry], label: String? = nil) -> MetadataNode {
        .directory(entries.sorted { $0.name < $1.name }, label: label)
    }

    /// The listing: one entry per line, `name/` for directories (or their label), no trailing newline.
    public var listing: String {
        guard case .directory(let entries, _) = self else { return "" }
        return entries.map { e in
            if case .directory(_, let label) = e.node { return label ?? e.name + "/" }
            return e.name
        }.joined(separator: "\n")
    }

    /// The node at `path` below this one, or nil (unknown key, or extra segments under a leaf).
    public func find(_ path: ArraySlice<String>) -> MetadataNode? {
        guard let first = path.first else { return self }
        guard case .directory(let entries, _) = self,
              let child = entries.first(where: { $0.name == first }) else { return nil }
        return child.node.find(path.dropFirst())
    }

    /// Every node below this one with its path relative to it (`""` for itself).
    public func flattened(prefix: String = "") -> [(String, MetadataNode)] {
        var out = [(prefix, self)]
        if case .directory(let entries, _) = self {
            for e in entries {
                out += e.node.flattened(prefix: prefix.isEmpty ? e.name : prefix + "/" + e.name)
            }
        }
        return out
    }
}
