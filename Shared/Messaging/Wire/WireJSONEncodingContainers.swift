/// A JSON object written by ``WireJSONEncoder``: members in the order they come. A key
/// written twice, `superEncoder`, or a write after a later container was opened fails the
/// run (Foundation would merge or overwrite).
struct WireJSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: WireJSONEncoderState
    let frame: WireJSONEncoderState.FrameRef
    let pathCount: Int

    var codingPath: [any CodingKey] { Array(state.path.prefix(pathCount)) }

    private func member(_ key: Key) throws {
        try state.activate(frame)
        try state.member(key.stringValue, of: frame)
    }

    mutating func encodeNil(forKey key: Key) throws {
        try member(key)
        state.writeRaw("null")
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try member(key)
        state.writeBool(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try member(key)
        state.writeString(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try member(key)
        try state.writeFloat(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        try member(key)
        try state.writeFloat(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int128, forKey key: Key) throws { throw state.fail() }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { throw state.fail() }

    private func integer<T: FixedWidthInteger>(_ value: T, _ key: Key) throws {
        try member(key)
        state.writeInteger(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try member(key)
        try state.encode(value, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = state.openNested(in: frame, object: true, key: key) { try member(key) }
        return KeyedEncodingContainer(
            WireJSONKeyedEncodingContainer<NestedKey>(state: state, frame: nested, pathCount: state.path.count))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = state.openNested(in: frame, object: false, key: key) { try member(key) }
        return WireJSONUnkeyedEncodingContainer(state: state, frame: nested, pathCount: state.path.count)
    }

    mutating func superEncoder() -> any Encoder { deadEncoder() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { deadEncoder() }

    private func deadEncoder() -> any Encoder {
        _ = state.fail()
        return WireJSONValueEncoder(state: state, slot: -1, pathCount: pathCount)
    }
}

/// A JSON array written by ``WireJSONEncoder``; `superEncoder` fails the run. Three words,
/// so it fits an existential inline.
struct WireJSONUnkeyedEncodingContainer: UnkeyedEncodingContainer, WireJSONScalarWriting {
    let state: WireJSONEncoderState
    let frame: WireJSONEncoderState.FrameRef
    let pathCount: Int

    var codingPath: [any CodingKey] { Array(state.path.prefix(pathCount)) }
    var count: Int { state.count(frame) }

    @discardableResult
    private func element() throws -> Int {
        try state.activate(frame)
        return state.element(of: frame)
    }

    func claimPlace() throws {
        try element()
    }

    mutating func encode(_ value: Int128) throws { throw state.fail() }
    mutating func encode(_ value: UInt128) throws { throw state.fail() }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = try element()
        try state.encode(value, key: WireJSONKey(index: index))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = state.openNested(in: frame, object: true, key: WireJSONKey(index: count)) { try element() }
        return KeyedEncodingContainer(
            WireJSONKeyedEncodingContainer<NestedKey>(state: state, frame: nested, pathCount: state.path.count))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = state.openNested(in: frame, object: false, key: WireJSONKey(index: count)) { try element() }
        return WireJSONUnkeyedEncodingContainer(state: state, frame: nested, pathCount: state.path.count)
    }

    mutating func superEncoder() -> any Encoder {
        _ = state.fail()
        return WireJSONValueEncoder(state: state, slot: -1, pathCount: pathCount)
    }
}
