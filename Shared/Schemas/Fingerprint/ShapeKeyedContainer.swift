/// Records each key a keyed container is asked for: `decode` as the value's shape,
/// `decodeIfPresent` as that shape made optional.
struct ShapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: ShapeRecorder
    let object: ShapeBuilder
    let codingPath: [any CodingKey]

    /// Empty: the recorder cannot know which keys a message would carry. (String-keyed
    /// dictionaries, which iterate `allKeys`, are recognised before they get here.)
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { !recorder.isPlaceholder }
    func decodeNil(forKey key: Key) throws -> Bool { recorder.isPlaceholder }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try record(type, forKey: key, optional: false)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try recordIfPresent(type, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let child = object.field(key.stringValue)
        child.becomeObject()
        return KeyedDecodingContainer(
            ShapeKeyedContainer<NestedKey>(recorder: recorder, object: child, codingPath: codingPath + [key]))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let child = object.field(key.stringValue)
        child.becomeSequence()
        return ShapeUnkeyedContainer(recorder: recorder, sequence: child, codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder {
        let key = SuperKey()
        return ShapeDecoder(recorder: recorder, builder: object.field(key.stringValue), codingPath: codingPath + [key])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ShapeDecoder(recorder: recorder, builder: object.field(key.stringValue), codingPath: codingPath + [key])
    }

    private func record<T: Decodable>(_ type: T.Type, forKey key: Key, optional: Bool) throws -> T {
        let (node, value) = try recorder.decode(type, codingPath: codingPath + [key])
        object.field(key.stringValue).setLeaf(optional ? .optional(node) : node)
        return value
    }

    /// Records the optional shape; returns the value (so the caller walks its "present" branch)
    /// when recording, nil when only making a placeholder.
    private func recordIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let value = try record(type, forKey: key, optional: true)
        return recorder.isPlaceholder ? nil : value
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try record(type, forKey: key, optional: false) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try record(type, forKey: key, optional: false) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try record(type, forKey: key, optional: false) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try record(type, forKey: key, optional: false) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try record(type, forKey: key, optional: false) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try record(type, forKey: key, optional: false) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try record(type, forKey: key, optional: false) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try record(type, forKey: key, optional: false) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try record(type, forKey: key, optional: false) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try record(type, forKey: key, optional: false) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try record(type, forKey: key, optional: false) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try record(type, forKey: key, optional: false) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try record(type, forKey: key, optional: false) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try record(type, forKey: key, optional: false) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try recordIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try recordIfPresent(type, forKey: key) }
}

/// The key `superDecoder()` uses, as in Foundation's JSONDecoder.
struct SuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { guard stringValue == "super" else { return nil } }
    init?(intValue: Int) { return nil }
}
