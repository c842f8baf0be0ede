/// A type whose JSON the shape recorder must not look inside, recorded by name only.
///
/// Use it for values whose structure is free-form on the wire, such as Messaging's `JSONValue`
/// (arbitrary JSON): its `init(from:)` probes nil, Bool, Double, String, array and object in
/// turn, so walking it would record whichever probe succeeds first. Conform in `Schemas` (which
/// imports `Messaging`):
///
/// ```swift
/// extension JSONValue: SchemaOpaque {
///     public static var schemaName: String { "JSON" }
/// }
/// ```
///
/// The recorder checks this conformance before anything else, so it also serves as an escape
/// hatch for a recursive type (a tree of nodes) that a schema must carry.
public protocol SchemaOpaque: Decodable {
    /// The name recorded in the shape (for example `"JSON"`). Changing it changes fingerprints.
    static var schemaName: String { get }

    /// A value the recorder hands back to the enclosing type's `init(from:)`.
    ///
    /// The default decodes `Self` from a decoder that answers "nil" wherever it can and empty
    /// containers otherwise (so `JSONValue` becomes `.null`); implement it when that fails.
    static func schemaPlaceholder() throws -> Self
}

extension SchemaOpaque {
    /// Decodes `Self` from a placeholder decoder (nil where possible, empty containers).
    public static func schemaPlaceholder() throws -> Self {
        let recorder = ShapeRecorder(mode: .placeholder)
        return try Self(from: ShapeDecoder(recorder: recorder, builder: ShapeBuilder(), codingPath: []))
    }
}
