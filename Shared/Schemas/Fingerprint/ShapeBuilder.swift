/// A node under construction while a type's `init(from:)` runs. Containers hold on to their
/// builder and fill it as the initialiser decodes; ``build()`` freezes it into a ``ShapeNode``.
///
/// Not thread-safe: one recording runs on one thread, start to end.
final class ShapeBuilder {
    private enum Content {
        case empty
        case leaf(ShapeNode)
        case object([String: ShapeBuilder])
        case sequence([ShapeBuilder])
    }

    private var content: Content = .empty

    /// Records a finished value.
    func setLeaf(_ node: ShapeNode) {
        content = .leaf(node)
    }

    /// The builder for `key` of this keyed container (created, or the one decoded before).
    func field(_ key: String) -> ShapeBuilder {
        var fields: [String: ShapeBuilder] = [:]
        if case .object(let existing) = content { fields = existing }
        if let child = fields[key] { return child }
        let child = ShapeBuilder()
        fields[key] = child
        content = .object(fields)
        return child
    }

    /// Marks this node as a keyed container (so a type with no fields renders `{}`).
    func becomeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    /// Marks this node as an unkeyed container.
    func becomeSequence() {
        if case .sequence = content { return }
        content = .sequence([])
    }

    /// A builder for the next element of this unkeyed container.
    func appendElement() -> ShapeBuilder {
        var elements: [ShapeBuilder] = []
        if case .sequence(let existing) = content { elements = existing }
        let child = ShapeBuilder()
        elements.append(child)
        content = .sequence(elements)
        return child
    }

    /// The finished node. A type that asked for no container renders as an empty object.
    func build() -> ShapeNode {
        switch content {
        case .empty:
            return .object([:])
        case .leaf(let node):
            return node
        case .object(let fields):
            return .object(fields.mapValues { $0.build() })
        case .sequence(let elements):
            let nodes = elements.map { $0.build() }
            guard let first = nodes.first else { return .tuple([]) }
            if nodes.allSatisfy({ $0 == first }) { return .array(first) }
            return .tuple(nodes)
        }
    }
}
