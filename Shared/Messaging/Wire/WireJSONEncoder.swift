import Foundation

/// A lean JSON `Encoder` for RPC arguments and results: it writes JSON text straight into a
/// byte buffer, members in the order they are encoded. Everything but the member order is
/// byte for byte what Foundation's JSONEncoder (default options) writes; Foundation's order
/// is that of a Swift Dictionary, so it varies from process to process. Whatever it is not
/// sure about throws ``WireJSONFallback`` and ``WireJSON`` asks Foundation instead: `Date`,
/// `Data`, `URL`, `Decimal`, non-finite floats, a key encoded twice in one object, a value
/// that encodes nothing, `superEncoder`, a container written after a later one was opened,
/// nesting deeper than ``WireJSONEncoderState/maxDepth``.
enum WireJSONEncoder {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let state = WireJSONEncoderState()
        try state.encode(value, key: WireJSONKey?.none)
        state.close(downTo: 0)
        if state.failed { throw WireJSONFallback() }
        return state.out
    }
}

/// The `Encoder` for one value (a "slot": the top level, a member or an element), also its
/// single-value container.
struct WireJSONValueEncoder: Encoder, SingleValueEncodingContainer, WireJSONScalarWriting {
    let state: WireJSONEncoderState
    let slot: Int
    let pathCount: Int

    var codingPath: [any CodingKey] { Array(state.path.prefix(pathCount)) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let frame = state.open(slot: slot, object: true)
        return KeyedEncodingContainer(WireJSONKeyedEncodingContainer<Key>(state: state, frame: frame, pathCount: pathCount))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        WireJSONUnkeyedEncodingContainer(state: state, frame: state.open(slot: slot, object: false), pathCount: pathCount)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func claimPlace() throws {
        try state.claim(slot)
    }

    mutating func encode(_ value: Int128) throws { throw state.fail() }
    mutating func encode(_ value: UInt128) throws { throw state.fail() }

    /// Foundation encodes the value into this same encoder.
    mutating func encode<T: Encodable>(_ value: T) throws {
        try state.encodeInSlot(value, slot: slot, encoder: self)
    }
}
