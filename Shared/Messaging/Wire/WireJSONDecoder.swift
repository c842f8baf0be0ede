import Foundation

/// A lean JSON `Decoder` for RPC arguments and results: one pass parses the bytes into
/// ``WireJSONNode``s, then containers walk them (keys are compared as bytes, no dictionary
/// per object). It returns only what Foundation's JSONDecoder (default options) would return
/// for the same bytes; anything it is not sure about throws ``WireJSONFallback``, and
/// ``WireJSON`` then asks Foundation: `Date`, `Data`, `URL`, `Decimal`, 128-bit integers;
/// an integer from a token with a fraction or exponent, `-0` or out of range; a float that
/// overflows, underflows, is subnormal, or is zero with an exponent; escaped, non-ASCII or
/// duplicate object keys; invalid UTF-8 in a string read; anything but strict JSON (Foundation
/// also takes a trailing comma in an object); nesting deeper than 128; and any error thrown
/// during the run, since a type that catches one would go on differently.
enum WireJSONDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        guard let p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw WireJSONFallback() }
        var document = WireJSONDocument(nodes: try WireJSONTree.parse(p, count: bytes.count), base: p, count: bytes.count)
        let value = try document.decode(type, at: 0, path: { -1 })
        if document.failed { throw WireJSONFallback() }
        if !isKnownUniquelyReferenced(&document) { document.detach() }
        return value
    }
}

/// The `Decoder` handed to `init(from:)` for one value, also its single-value container.
struct WireJSONValueDecoder: Decoder, SingleValueDecodingContainer {
    let document: WireJSONDocument
    let node: Int32
    let path: Int32

    var codingPath: [any CodingKey] { document.codingPath(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard document.kind(node) == .object else { throw document.fail() }
        return KeyedDecodingContainer(WireJSONKeyedDecodingContainer<Key>(document: document, object: node, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard document.kind(node) == .array else { throw document.fail() }
        return WireJSONUnkeyedDecodingContainer(document: document, array: node, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { document.kind(node) == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try document.bool(node) }
    func decode(_ type: String.Type) throws -> String { try document.string(node) }
    func decode(_ type: Double.Type) throws -> Double { try document.double(node) }
    func decode(_ type: Float.Type) throws -> Float { try document.float(node) }
    func decode(_ type: Int.Type) throws -> Int { try document.integer(node, as: type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try document.integer(node, as: type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try document.integer(node, as: type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try document.integer(node, as: type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try document.integer(node, as: type) }
    func decode(_ type: Int128.Type) throws -> Int128 { throw document.fail() }
    func decode(_ type: UInt.Type) throws -> UInt { try document.integer(node, as: type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try document.integer(node, as: type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try document.integer(node, as: type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try document.integer(node, as: type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try document.integer(node, as: type) }
    func decode(_ type: UInt128.Type) throws -> UInt128 { throw document.fail() }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try document.decode(type, at: node, path: { path }) }
}

/// Coding keys the lean coders add to paths: array indexes and `super`, spelled as
/// Foundation spells them (the text is made only when asked for).
struct WireJSONKey: CodingKey {
    /// -1: `super`.
    private let index: Int

    var stringValue: String { index < 0 ? "super" : "Index \(index)" }
    var intValue: Int? { index < 0 ? nil : index }

    init?(stringValue: String) {
        guard stringValue == "super" else { return nil }
        index = -1
    }

    init?(intValue: Int) {
        guard intValue >= 0 else { return nil }
        index = intValue
    }

    init(index: Int) { self.index = index }

    static let `super` = WireJSONKey(stringValue: "super")!
}
