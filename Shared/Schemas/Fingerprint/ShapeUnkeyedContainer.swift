/// Presents one element, then reports the end; records each element decoded. A homogeneous
/// container renders `[T]`, positional values of different shapes `(A,B)`.
struct ShapeUnkeyedContainer: UnkeyedDecodingContainer {
    let recorder: ShapeRecorder
    let sequence: ShapeBuilder
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(recorder: ShapeRecorder, sequence: ShapeBuilder, codingPath: [any CodingKey]) {
        self.recorder = recorder
        self.sequence = sequence
        self.codingPath = codingPath
    }

    /// Unknown, as for a streaming decoder.
    var count: Int? { nil }
    var isAtEnd: Bool { recorder.isPlaceholder || currentIndex >= 1 }

    mutating func decodeNil() throws -> Bool { recorder.isPlaceholder }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try record(type, optional: false)
    }

    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        try recordIfPresent(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let key = IndexKey(currentIndex)
        let child = sequence.appendElement()
        child.becomeObject()
        currentIndex += 1
        return KeyedDecodingContainer(
            ShapeKeyedContainer<NestedKey>(recorder: recorder, object: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let key = IndexKey(currentIndex)
        let child = sequence.appendElement()
        child.becomeSequence()
        currentIndex += 1
        return ShapeUnkeyedContainer(recorder: recorder, sequence: child, codingPath: codingPath + [key])
    }

    mutating func superDecoder() throws -> any Decoder {
        let key = IndexKey(currentIndex)
        currentIndex += 1
        return ShapeDecoder(recorder: recorder, builder: sequence.appendElement(), codingPath: codingPath + [key])
    }

    private mutating func record<T: Decodable>(_ type: T.Type, optional: Bool) throws -> T {
        let (node, value) = try recorder.decode(type, codingPath: codingPath + [IndexKey(currentIndex)])
        sequence.appendElement().setLeaf(optional ? .optional(node) : node)
        currentIndex += 1
        return value
    }

    private mutating func recordIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        let value = try record(type, optional: true)
        return recorder.isPlaceholder ? nil : value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try record(type, optional: false) }
    mutating func decode(_ type: String.Type) throws -> String { try record(type, optional: false) }
    mutating func decode(_ type: Double.Type) throws -> Double { try record(type, optional: false) }
    mutating func decode(_ type: Float.Type) throws -> Float { try record(type, optional: false) }
    mutating func decode(_ type: Int.Type) throws -> Int { try record(type, optional: false) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try record(type, optional: false) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try record(type, optional: false) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try record(type, optional: false) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try record(type, optional: false) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try record(type, optional: false) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try record(type, optional: false) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try record(type, optional: false) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try record(type, optional: false) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try record(type, optional: false) }

    mutating func decodeIfPresent(_ type: Bool.Type) throws -> Bool? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: String.Type) throws -> String? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: Double.Type) throws -> Double? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: Float.Type) throws -> Float? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: Int.Type) throws -> Int? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: Int8.Type) throws -> Int8? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: Int16.Type) throws -> Int16? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: Int32.Type) throws -> Int32? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: Int64.Type) throws -> Int64? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: UInt.Type) throws -> UInt? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: UInt8.Type) throws -> UInt8? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: UInt16.Type) throws -> UInt16? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: UInt32.Type) throws -> UInt32? { try recordIfPresent(type) }
    mutating func decodeIfPresent(_ type: UInt64.Type) throws -> UInt64? { try recordIfPresent(type) }
}
