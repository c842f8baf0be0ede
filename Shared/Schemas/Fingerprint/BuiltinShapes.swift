import Foundation

/// Scalars the recorder answers itself: their shape name and a valid value to hand back.
///
/// `Date`, `Data`, `UUID`, `URL` and `Decimal` are recorded by their own names rather than the
/// `Double`/`String` they encode to, because what a receiver accepts differs: a field that
/// changes from `String` to `UUID` rejects strings it used to accept, so it must change the
/// fingerprint.
enum PrimitiveShapes {
    private static let table: [ObjectIdentifier: (name: String, value: any Sendable)] = [
        ObjectIdentifier(String.self): ("String", ""),
        ObjectIdentifier(Bool.self): ("Bool", false),
        ObjectIdentifier(Int.self): ("Int", 0 as Int),
        ObjectIdentifier(Int8.self): ("Int8", 0 as Int8),
        ObjectIdentifier(Int16.self): ("Int16", 0 as Int16),
        ObjectIdentifier(Int32.self): ("Int32", 0 as Int32),
        ObjectIdentifier(Int64.self): ("Int64", 0 as Int64),
        ObjectIdentifier(UInt.self): ("UInt", 0 as UInt),
        ObjectIdentifier(UInt8.self): ("UInt8", 0 as UInt8),
        ObjectIdentifier(UInt16.self): ("UInt16", 0 as UInt16),
        ObjectIdentifier(UInt32.self): ("UInt32", 0 as UInt32),
        ObjectIdentifier(UInt64.self): ("UInt64", 0 as UInt64),
        ObjectIdentifier(Double.self): ("Double", 0 as Double),
        ObjectIdentifier(Float.self): ("Float", 0 as Float),
        ObjectIdentifier(Date.self): ("Date", Date(timeIntervalSince1970: 0)),
        ObjectIdentifier(Data.self): ("Data", Data()),
        ObjectIdentifier(UUID.self): ("UUID", UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))),
        ObjectIdentifier(URL.self): ("URL", URL(fileURLWithPath: "/")),
        ObjectIdentifier(Decimal.self): ("Decimal", Decimal(0)),
    ]

    /// The shape name and a value for `type`, when it is a known scalar.
    static func lookup<T>(_ type: T.Type) -> (name: String, value: T)? {
        guard let entry = table[ObjectIdentifier(type)], let value = entry.value as? T else { return nil }
        return (entry.name, value)
    }
}

/// `Optional<Wrapped>`, seen through a type-erased metatype.
protocol OptionalShape {
    static var wrappedDecodableType: any Decodable.Type { get }
    static var shapeNil: Self { get }
}

extension Optional: OptionalShape where Wrapped: Decodable {
    static var wrappedDecodableType: any Decodable.Type { Wrapped.self }
    static var shapeNil: Self { nil }
}

/// `Array<Element>`, seen through a type-erased metatype (recorded without making an element).
protocol ArrayShape {
    static var elementDecodableType: any Decodable.Type { get }
    static var shapeEmpty: Self { get }
}

extension Array: ArrayShape where Element: Decodable {
    static var elementDecodableType: any Decodable.Type { Element.self }
    static var shapeEmpty: Self { [] }
}

/// `Dictionary<Key, Value>`, seen through a type-erased metatype. Checked before decoding
/// because Swift decodes `[String: V]` through a keyed container it iterates with `allKeys`,
/// which would record nothing.
protocol DictionaryShape {
    static var keyDecodableType: any Decodable.Type { get }
    static var valueDecodableType: any Decodable.Type { get }
    static var shapeEmpty: Self { get }
}

extension Dictionary: DictionaryShape where Key: Decodable, Value: Decodable {
    static var keyDecodableType: any Decodable.Type { Key.self }
    static var valueDecodableType: any Decodable.Type { Value.self }
    static var shapeEmpty: Self { [:] }
}
