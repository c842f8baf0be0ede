/// Describes the wire structure of a `Decodable` message type as a canonical string, without
/// needing an instance: the basis of ``SchemaFingerprint`` and of the fingerprint test that
/// forces a version bump when a versioned message changes (as Nova's object fingerprints do).
///
/// The shape of
/// ```swift
/// struct Port: Decodable { let id: UUID; let mac: String; let fixedIPs: [FixedIP]
///                          let status: PortStatus; let tags: [String: String]?
///                          enum CodingKeys: String, CodingKey { case id, mac, fixedIPs = "fixed_ips", status, tags } }
/// ```
/// is `{fixed_ips:[{ip:String,subnet_id:UUID}],id:UUID,mac:String,status:Enum(active|down),tags:[String:String]?}`:
///
/// - keys are the coding keys (wire names), sorted by UTF-8 bytes; `decodeIfPresent` and
///   `Optional` types add `?`;
/// - `[T]` for arrays and other unkeyed containers, `[K:V]` for dictionaries;
/// - scalars by name: `String`, `Bool`, `Int`, `Int8`…`UInt64`, `Double`, `Float`, `Date`,
///   `Data`, `UUID`, `URL`, `Decimal`;
/// - `Enum(a|b)` for a ``SchemaEnumeration`` (cases sorted), the ``SchemaOpaque/schemaName``
///   for a ``SchemaOpaque`` type;
/// - a type decoded through a single-value container takes the shape of what it decodes (a
///   `struct InstanceID { let raw: String }` decoded that way is `String`).
///
/// Type names never appear, so renaming a Swift type does not change a fingerprint; renaming a
/// coding key does.
public enum SchemaShape {
    /// Present (value `true`) in the `userInfo` of the decoder a type sees while its shape is
    /// recorded, for custom `init(from:)` implementations that need to know.
    public static let userInfoKey = CodingUserInfoKey(rawValue: "cirrus.schema-shape")!

    /// The canonical shape of `type`.
    ///
    /// - Throws: ``SchemaShapeError`` naming the type and coding path when `type` contains itself
    ///   (recursive types have infinite shapes), nests more than 32 levels deep, or its
    ///   `init(from:)` rejects the recorder's made-up values (typically a String-backed enum
    ///   that does not conform to ``SchemaEnumeration``).
    public static func describe<T: Decodable>(_ type: T.Type) throws -> String {
        try ShapeRecorder(mode: .record).decode(type, codingPath: []).node.canonical
    }
}
