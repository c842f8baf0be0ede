/// The `Decoder` a type's `init(from:)` sees while its shape is recorded. Containers it hands out
/// record into ``builder``; every value they return comes from the ``ShapeRecorder``.
///
/// In recording mode it answers "present, not nil" (so optional fields are walked) and presents
/// one element per unkeyed container; in placeholder mode it answers "nil" and "empty".
final class ShapeDecoder: Decoder {
    let recorder: ShapeRecorder
    let builder: ShapeBuilder
    let codingPath: [any CodingKey]

    init(recorder: ShapeRecorder, builder: ShapeBuilder, codingPath: [any CodingKey]) {
        self.recorder = recorder
        self.builder = builder
        self.codingPath = codingPath
    }

    /// Holds ``SchemaShape/userInfoKey`` = `true`, so a custom `init(from:)` can tell.
    var userInfo: [CodingUserInfoKey: Any] { [SchemaShape.userInfoKey: true] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        builder.becomeObject()
        return KeyedDecodingContainer(ShapeKeyedContainer<Key>(recorder: recorder, object: builder, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        builder.becomeSequence()
        return ShapeUnkeyedContainer(recorder: recorder, sequence: builder, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ShapeSingleValueContainer(recorder: recorder, builder: builder, codingPath: codingPath)
    }
}

/// Records the one value a single-value container decodes.
struct ShapeSingleValueContainer: SingleValueDecodingContainer {
    let recorder: ShapeRecorder
    let builder: ShapeBuilder
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { recorder.isPlaceholder }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, value) = try recorder.decode(type, codingPath: codingPath)
        builder.setLeaf(node)
        return value
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }

    /// The generic path, under a name the concrete overloads cannot resolve back to.
    private func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, value) = try recorder.decode(type, codingPath: codingPath)
        builder.setLeaf(node)
        return value
    }
}
