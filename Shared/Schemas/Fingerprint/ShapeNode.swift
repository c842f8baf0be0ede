import Foundation

/// The recorded structure of one decoded value; ``canonical`` is its stable text form.
indirect enum ShapeNode: Equatable, Sendable {
    /// A scalar: `String`, `Int`, `Double`, `Bool`, `Date`, `UUID`...
    case primitive(String)
    /// A value decoded with `decodeIfPresent`, or an `Optional` type: rendered with a `?` suffix.
    case optional(ShapeNode)
    /// A homogeneous sequence: `[T]`.
    case array(ShapeNode)
    /// Positional values of different shapes from one unkeyed container: `(A,B)`.
    case tuple([ShapeNode])
    /// A dictionary: `[K:V]`.
    case dictionary(key: ShapeNode, value: ShapeNode)
    /// A keyed container: `{a:T,b:U}` with keys sorted by their UTF-8 bytes.
    case object([String: ShapeNode])
    /// A ``SchemaEnumeration``: `Enum(a|b)` with cases sorted by their UTF-8 bytes.
    case enumeration([String])
    /// A ``SchemaOpaque`` type, by its ``SchemaOpaque/schemaName``.
    case opaque(String)

    /// Canonical text: no whitespace, keys and cases sorted; the same type always gives the same
    /// string, on every platform and run.
    var canonical: String {
        switch self {
        case .primitive(let name), .opaque(let name):
            return name
        case .optional(let wrapped):
            return wrapped.canonical + "?"
        case .array(let element):
            return "[" + element.canonical + "]"
        case .tuple(let elements):
            return "(" + elements.map(\.canonical).joined(separator: ",") + ")"
        case .dictionary(let key, let value):
            return "[" + key.canonical + ":" + value.canonical + "]"
        case .object(let fields):
            let rendered = Self.sorted(Array(fields.keys)).map { key in
                Self.quoted(key) + ":" + fields[key]!.canonical
            }
            return "{" + rendered.joined(separator: ",") + "}"
        case .enumeration(let cases):
            return "Enum(" + Self.sorted(cases).map(Self.quoted).joined(separator: "|") + ")"
        }
    }

    /// Sorts by UTF-8 bytes, independent of locale and Unicode normalisation.
    private static func sorted(_ names: [String]) -> [String] {
        names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Leaves plain names alone and quotes names holding shape punctuation or spaces, so two
    /// different shapes never render to the same text.
    private static func quoted(_ name: String) -> String {
        let special: Set<Character> = ["{", "}", "[", "]", "(", ")", ":", ",", "|", "?", "\"", "\\"]
        guard name.isEmpty || name.contains(where: { special.contains($0) || $0.isWhitespace }) else {
            return name
        }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"" + escaped + "\""
    }
}
