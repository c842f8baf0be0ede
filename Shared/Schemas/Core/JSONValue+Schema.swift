import Messaging

/// Free-form JSON (e.g. user-supplied metadata) is one opaque shape in fingerprints.
extension JSONValue: SchemaOpaque {
    public static var schemaName: String { "JSON" }
}
