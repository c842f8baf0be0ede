/// A JSON object read by ``WireJSONDecoder``. Missing keys, nulls and type mismatches that
/// Foundation reports as errors throw ``WireJSONFallback`` (Foundation then names the error);
/// `decodeIfPresent` gives nil for a missing key or null, as Foundation does.
struct WireJSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let document: WireJSONDocument
    let object: Int32
    let path: Int32

    var codingPath: [any CodingKey] { document.codingPath(path) }
    var allKeys: [Key] { document.allKeys(object, as: Key.self) }

    func contains(_ key: Key) -> Bool {
        switch document.lookup(key, in: object) {
        case .found: return true
        case .missing: return false
        case .unsure:
            document.failed = true
            return false
        }
    }

    /// The value node of a key that must be present.
    private func value(_ key: Key) throws -> Int32 {
        guard case .found(let node) = document.lookup(key, in: object) else { throw document.fail() }
        return node
    }

    /// The value node of a key, nil when it is missing or null.
    private func present(_ key: Key) throws -> Int32? {
        switch document.lookup(key, in: object) {
        case .found(let node): return document.kind(node) == .null ? nil : node
        case .missing: return nil
        case .unsure: throw document.fail()
        }
    }

    private func child(_ key: Key) -> Int32 { document.path(path, key) }

    func decodeNil(forKey key: Key) throws -> Bool { document.kind(try value(key)) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try document.bool(value(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try document.string(value(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try document.double(value(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try document.float(value(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try document.integer(value(key), as: type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try document.integer(value(key), as: type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try document.integer(value(key), as: type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try document.integer(value(key), as: type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try document.integer(value(key), as: type) }
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { throw document.fail() }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try document.integer(value(key), as: type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try document.integer(value(key), as: type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try document.integer(value(key), as: type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try document.integer(value(key), as: type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try document.integer(value(key), as: type) }
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { throw document.fail() }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try document.decode(type, at: value(key), path: { child(key) })
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key).map(document.bool) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key).map(document.string) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key).map(document.double) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try present(key).map(document.float) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try int(key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try int(key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try int(key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try int(key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try int(key) }
    func decodeIfPresent(_ type: Int128.Type, forKey key: Key) throws -> Int128? { throw document.fail() }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try int(key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try int(key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try int(key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try int(key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try int(key) }
    func decodeIfPresent(_ type: UInt128.Type, forKey key: Key) throws -> UInt128? { throw document.fail() }

    private func int<T: FixedWidthInteger>(_ key: Key) throws -> T? {
        try present(key).map { try document.integer($0, as: T.self) }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try document.decode(type, at: $0, path: { child(key) }) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try WireJSONValueDecoder(document: document, node: value(key), path: child(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try WireJSONValueDecoder(document: document, node: value(key), path: child(key)).unkeyedContainer()
    }

    /// Foundation decodes a missing key's super decoder from null.
    func superDecoder() throws -> any Decoder { try superDecoder(WireJSONKey.super) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try superDecoder(key) }

    private func superDecoder(_ key: some CodingKey) throws -> any Decoder {
        let node: Int32
        switch document.lookup(key, in: object) {
        case .found(let n): node = n
        case .missing: node = document.nullNode
        case .unsure: throw document.fail()
        }
        return WireJSONValueDecoder(document: document, node: node, path: document.path(path, key))
    }
}

/// A JSON array read by ``WireJSONDecoder``. Reading past the end throws (Foundation's
/// `decodeIfPresent` there returns nil but still moves `currentIndex`; that is left to it).
/// Three words, so it fits an existential inline.
struct WireJSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let document: WireJSONDocument
    let array: Int32
    let path: Int32
    private var index: Int32 = 0
    /// The node of the element at `index`.
    private var cursor: Int32

    init(document: WireJSONDocument, array: Int32, path: Int32) {
        self.document = document
        self.array = array
        self.path = path
        cursor = array + 1
    }

    var codingPath: [any CodingKey] { document.codingPath(path) }
    var count: Int? { Int(document.nodes[Int(array)].count) }
    var isAtEnd: Bool { index >= document.nodes[Int(array)].count }
    var currentIndex: Int { Int(index) }

    /// The current element's node, moving past it. (Foundation moves only once the element
    /// is read, but a failed read makes this run fall back anyway.)
    private mutating func take() throws -> Int32 {
        guard !isAtEnd else { throw document.fail() }
        let node = cursor
        cursor = document.nodes[Int(node)].next
        index += 1
        return node
    }

    /// The current element's node, nil (moving past it) for null.
    private mutating func takeIfPresent() throws -> Int32? {
        let node = try take()
        return document.kind(node) == .null ? nil : node
    }

    /// A path entry for the element at `index`, made when a nested decoder needs it.
    private func child() -> () -> Int32 {
        let document = document, path = path, index = Int(index)
        return { document.path(path, WireJSONKey(index: index)) }
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { throw document.fail() }
        guard document.kind(cursor) == .null else { return false }
        _ = try take()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try document.bool(take()) }
    mutating func decode(_ type: String.Type) throws -> String { try document.string(take()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try document.double(take()) }
    mutating func decode(_ type: Float.Type) throws -> Float { try document.float(take()) }
    mutating func decode(_ type: Int.Type) throws -> Int { try document.integer(take(), as: type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try document.integer(take(), as: type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try document.integer(take(), as: type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try document.integer(take(), as: type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try document.integer(take(), as: type) }
    mutating func decode(_ type: Int128.Type) throws -> Int128 { throw document.fail() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try document.integer(take(), as: type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try document.integer(take(), as: type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try document.integer(take(), as: type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try document.integer(take(), as: type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try document.integer(take(), as: type) }
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 { throw document.fail() }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let path = child()
        return try document.decode(type, at: take(), path: path)
    }

    mutating func decodeIfPresent(_ type: Bool.Type) throws -> Bool? { try takeIfPresent().map(document.bool) }
    mutating func decodeIfPresent(_ type: String.Type) throws -> String? { try takeIfPresent().map(document.string) }
    mutating func decodeIfPresent(_ type: Double.Type) throws -> Double? { try takeIfPresent().map(document.double) }
    mutating func decodeIfPresent(_ type: Float.Type) throws -> Float? { try takeIfPresent().map(document.float) }
    mutating func decodeIfPresent(_ type: Int.Type) throws -> Int? { try int() }
    mutating func decodeIfPresent(_ type: Int8.Type) throws -> Int8? { try int() }
    mutating func decodeIfPresent(_ type: Int16.Type) throws -> Int16? { try int() }
    mutating func decodeIfPresent(_ type: Int32.Type) throws -> Int32? { try int() }
    mutating func decodeIfPresent(_ type: Int64.Type) throws -> Int64? { try int() }
    mutating func decodeIfPresent(_ type: Int128.Type) throws -> Int128? { throw document.fail() }
    mutating func decodeIfPresent(_ type: UInt.Type) throws -> UInt? { try int() }
    mutating func decodeIfPresent(_ type: UInt8.Type) throws -> UInt8? { try int() }
    mutating func decodeIfPresent(_ type: UInt16.Type) throws -> UInt16? { try int() }
    mutating func decodeIfPresent(_ type: UInt32.Type) throws -> UInt32? { try int() }
    mutating func decodeIfPresent(_ type: UInt64.Type) throws -> UInt64? { try int() }
    mutating func decodeIfPresent(_ type: UInt128.Type) throws -> UInt128? { throw document.fail() }

    private mutating func int<T: FixedWidthInteger>() throws -> T? {
        let document = document
        return try takeIfPresent().map { try document.integer($0, as: T.self) }
    }

    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        let document = document, path = child()
        return try takeIfPresent().map { try document.decode(type, at: $0, path: path) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let path = child()
        return try WireJSONValueDecoder(document: document, node: take(), path: path()).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let path = child()
        return try WireJSONValueDecoder(document: document, node: take(), path: path()).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let path = child()
        return try WireJSONValueDecoder(document: document, node: take(), path: path())
    }
}
