/// Why a type's schema shape could not be recorded, with the coding path where it happened and
/// what to change.
public struct SchemaShapeError: Error, CustomStringConvertible, Sendable {
    /// The type being recorded when the failure happened.
    public let typeName: String
    /// Dotted coding path from the root type (`"ports[0].fixed_ips"`), or `"<root>"`.
    public let path: String
    /// What went wrong and what to do about it.
    public let message: String

    init(type: Any.Type, codingPath: [any CodingKey], message: String) {
        self.typeName = String(reflecting: type)
        self.path = Self.render(codingPath)
        self.message = message
    }

    public var description: String {
        "cannot record the schema shape of \(typeName) at \(path): \(message)"
    }

    static func render(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "<root>" }
        var text = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }
}
