/// A String-backed enum used in a message schema (a vm_state, a task_state, a port status...).
///
/// The shape recorder cannot invent a valid raw value, so enums conform to this protocol and are
/// recorded with all their cases, `Enum(active|building|error)` (cases sorted), so adding,
/// removing or renaming a case changes the fingerprint.
///
/// ```swift
/// public enum VMState: String, Codable, Sendable, SchemaEnumeration {
///     case active, building, error
/// }
/// ```
///
/// An enum that is `Decodable` but does not conform fails to record, with an error naming it.
public protocol SchemaEnumeration: CaseIterable, Decodable, RawRepresentable where RawValue == String {}

extension SchemaEnumeration {
    /// The raw values of all cases, in declaration order.
    static var schemaCaseNames: [String] { allCases.map(\.rawValue) }
    /// The first declared case: the value the shape recorder hands back to `init(from:)`.
    static var schemaFirstCase: Self? { allCases.first }
}
