/// The scalar writes the single-value and unkeyed containers share: each claims its place
/// (``claimPlace()``: the slot, or the next element) and writes the value. Their
/// `encode(_:)` requirements are met by these methods (but for the 128-bit integers, which the
/// standard library gives a default of its own: each type falls back for those itself).
protocol WireJSONScalarWriting {
    var state: WireJSONEncoderState { get }
    func claimPlace() throws
}

extension WireJSONScalarWriting {
    func encodeNil() throws {
        try claimPlace()
        state.writeRaw("null")
    }

    func encode(_ value: Bool) throws {
        try claimPlace()
        state.writeBool(value)
    }

    func encode(_ value: String) throws {
        try claimPlace()
        state.writeString(value)
    }

    func encode(_ value: Double) throws {
        try claimPlace()
        try state.writeFloat(value)
    }

    func encode(_ value: Float) throws {
        try claimPlace()
        try state.writeFloat(value)
    }

    func encode(_ value: Int) throws { try integer(value) }
    func encode(_ value: Int8) throws { try integer(value) }
    func encode(_ value: Int16) throws { try integer(value) }
    func encode(_ value: Int32) throws { try integer(value) }
    func encode(_ value: Int64) throws { try integer(value) }
    func encode(_ value: UInt) throws { try integer(value) }
    func encode(_ value: UInt8) throws { try integer(value) }
    func encode(_ value: UInt16) throws { try integer(value) }
    func encode(_ value: UInt32) throws { try integer(value) }
    func encode(_ value: UInt64) throws { try integer(value) }

    private func integer<T: FixedWidthInteger>(_ value: T) throws {
        try claimPlace()
        state.writeInteger(value)
    }
}
