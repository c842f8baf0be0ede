import Foundation

/// The output and bookkeeping of one ``WireJSONEncoder`` run. Containers are written in
/// place, so they must be used in nesting order: the open ones form a stack of frames, a
/// write to a frame closes those above it, and a write to a closed frame fails the run.
/// One run uses it, on one thread, never inside another access to the same property: the
/// properties skip the runtime exclusivity checks (a quarter of the time otherwise).
final class WireJSONEncoderState {
    static let maxDepth = 128
    /// Objects with more keys than this check duplicates with a Set.
    static let linearKeyCheck = 16

    struct Frame {
        let id: Int32
        /// The slot whose value this container is part of.
        let slot: Int
        let isObject: Bool
        var count = 0
        /// Where this object's keys start in ``keys``.
        let keysStart: Int
        /// The path length to restore when the frame closes.
        let pathCount: Int
        var keySet: Set<String>? = nil
    }

    /// A container's frame: its id and depth in ``frames`` (id 0: none).
    struct FrameRef {
        let id: Int32
        let depth: Int32
        static let none = FrameRef(id: 0, depth: 0)
    }

    @exclusivity(unchecked) var out: [UInt8] = []
    @exclusivity(unchecked) private var frames: [Frame] = []
    /// The keys written to the open objects, for the duplicate check.
    @exclusivity(unchecked) private var keys: [String] = []
    @exclusivity(unchecked) private(set) var path: [any CodingKey] = []
    /// The slot being written and whether it holds a value yet; its containers start at
    /// `slotDepth`, its encoder's coding path is `path.prefix(slotPath)`.
    @exclusivity(unchecked) private var slot = 0
    @exclusivity(unchecked) private var slotUsed = false
    @exclusivity(unchecked) private var slotDepth = 0
    @exclusivity(unchecked) private var slotPath = 0
    @exclusivity(unchecked) private var nextID: Int32 = 1
    /// Set whenever the run throws (a type may catch the error and go on) or a non-throwing
    /// call could not do what Foundation would; the run then falls back.
    @exclusivity(unchecked) private(set) var failed = false

    init() {
        out.reserveCapacity(256)
    }

    /// Marks the run failed; what the lean encoder throws.
    func fail() -> WireJSONFallback {
        failed = true
        return WireJSONFallback()
    }

    private func newID() -> Int32 {
        if nextID == .max { failed = true }
        nextID &+= 1
        return nextID
    }

    // MARK: Slots

    /// Encodes `value` into a new slot: a member or element whose key or separator is
    /// written, or the top level (`key` nil). Its coding path is Foundation's: the path of
    /// the encoder whose container (or nested container) it is written to, plus `key`.
    func encode<T: Encodable>(_ value: T, key: (some CodingKey)?) throws {
        if try writeScalar(value) { return }
        let saved = (slot, slotUsed, slotDepth, slotPath)
        var outerPath: [any CodingKey]? = nil
        if path.count > slotPath {  // keys of nested containers are not part of it
            outerPath = path
            path.removeSubrange(slotPath...)
        }
        if let key { path.append(key) }
        slot = Int(newID())
        slotUsed = false
        slotDepth = frames.count
        slotPath = path.count
        do {
            try value.encode(to: WireJSONValueEncoder(state: self, slot: slot, pathCount: path.count))
        } catch {
            failed = true
            throw error
        }
        guard slotUsed else { throw fail() }  // Foundation writes {} (or throws at the top level)
        close(downTo: slotDepth)
        if let outerPath {
            path = outerPath
        } else if key != nil {
            path.removeLast()
        }
        (slot, slotUsed, slotDepth, slotPath) = saved
    }

    /// A single-value container's generic `encode`: Foundation encodes into the same slot.
    func encodeInSlot<T: Encodable>(_ value: T, slot: Int, encoder: WireJSONValueEncoder) throws {
        guard slot == self.slot, !slotUsed else { throw fail() }
        if try writeScalar(value) {
            slotUsed = true
            return
        }
        do {
            try value.encode(to: encoder)
        } catch {
            failed = true
            throw error
        }
        guard slotUsed else { throw fail() }
    }

    /// Marks `slot` as holding a single value.
    func claim(_ slot: Int) throws {
        guard slot == self.slot, !slotUsed else { throw fail() }
        slotUsed = true
    }

    /// Writes the scalars a generic `encode` may get (the common ones, without a `Encoder`);
    /// false for anything else. Throws for the types Foundation's JSONEncoder special-cases.
    private func writeScalar<T: Encodable>(_ value: T) throws -> Bool {
        if T.self == String.self {
            writeString(unsafeBitCast(value, to: String.self))
        } else if T.self == Int.self {
            writeInteger(unsafeBitCast(value, to: Int.self))
        } else if T.self == Bool.self {
            writeBool(unsafeBitCast(value, to: Bool.self))
        } else if T.self == Double.self {
            try writeFloat(unsafeBitCast(value, to: Double.self))
        } else if T.self == Int64.self {
            writeInteger(unsafeBitCast(value, to: Int64.self))
        } else if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self {
            throw fail()
        } else {
            return false
        }
        return true
    }

    // MARK: Frames

    /// Opens the container of `slot` (`{` or `[`); asked again, Foundation hands out the same
    /// container, so the open one is reused.
    func open(slot: Int, object: Bool) -> FrameRef {
        guard slot == self.slot else { return failedRef() }
        if slotUsed {
            guard slotDepth < frames.count, frames[slotDepth].slot == slot, frames[slotDepth].isObject == object else {
                return failedRef()
            }
            close(downTo: slotDepth + 1)
            return FrameRef(id: frames[slotDepth].id, depth: Int32(slotDepth))
        }
        slotUsed = true
        return push(object: object, pathCount: path.count)
    }

    /// Opens a nested container as the next member or element of `parent` (`begin` writes
    /// its key or separator).
    func openNested(in parent: FrameRef, object: Bool, key: some CodingKey, begin: () throws -> Void) -> FrameRef {
        do {
            try activate(parent)
            try begin()
        } catch {
            return failedRef()
        }
        path.append(key)
        return push(object: object, pathCount: path.count - 1)
    }

    private func push(object: Bool, pathCount: Int) -> FrameRef {
        guard frames.count < Self.maxDepth else { return failedRef() }
        let id = newID()
        out.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        frames.append(Frame(id: id, slot: slot, isObject: object, keysStart: keys.count, pathCount: pathCount))
        return FrameRef(id: id, depth: Int32(frames.count - 1))
    }

    private func failedRef() -> FrameRef {
        failed = true
        return .none
    }

    /// Makes `frame` the innermost open container (closing the ones above it); throws when
    /// it was closed or belongs to another slot.
    func activate(_ frame: FrameRef) throws {
        let depth = Int(frame.depth)
        guard frame.id != 0, depth < frames.count, frames[depth].id == frame.id, frames[depth].slot == slot else {
            throw fail()
        }
        close(downTo: depth + 1)
    }

    /// Closes the frames above `depth`.
    func close(downTo depth: Int) {
        while frames.count > depth {
            let f = frames.removeLast()
            out.append(f.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            if keys.count > f.keysStart { keys.removeSubrange(f.keysStart...) }  // (not on an empty array: that copies)
            if path.count > f.pathCount { path.removeSubrange(f.pathCount...) }
        }
    }

    /// Elements written to an open frame (0 for a closed one).
    func count(_ frame: FrameRef) -> Int {
        let depth = Int(frame.depth)
        return frame.id != 0 && depth < frames.count && frames[depth].id == frame.id ? frames[depth].count : 0
    }

    /// Writes the separator and `"key":` of a new member of the (active) object `frame`.
    func member(_ key: String, of frame: FrameRef) throws {
        let depth = Int(frame.depth)
        if frames[depth].keySet != nil {
            guard frames[depth].keySet!.insert(key).inserted else { throw fail() }
        } else {
            let start = frames[depth].keysStart
            for k in keys[start...] where k == key { throw fail() }  // String ==, as Foundation's Dictionary
            if keys.count - start >= Self.linearKeyCheck { frames[depth].keySet = Set(keys[start...] + [key]) }
        }
        keys.append(key)
        if frames[depth].count > 0 { out.append(UInt8(ascii: ",")) }
        frames[depth].count += 1
        writeString(key)
        out.append(UInt8(ascii: ":"))
    }

    /// Writes the separator of a new element of the (active) array `frame`; returns its index.
    func element(of frame: FrameRef) -> Int {
        let depth = Int(frame.depth)
        if frames[depth].count > 0 { out.append(UInt8(ascii: ",")) }
        frames[depth].count += 1
        return frames[depth].count - 1
    }

    // MARK: Scalars

    func writeRaw(_ s: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    func writeBool(_ value: Bool) {
        writeRaw(value ? "true" : "false")
    }

    /// Decimal digits, as `description` writes them.
    func writeInteger<T: FixedWidthInteger>(_ value: T) {
        var magnitude = UInt64(value.magnitude)
        if value < 0 { out.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }

    /// Foundation's form: `description` without a trailing `.0`; non-finite values throw.
    func writeFloat<T: BinaryFloatingPoint & CustomStringConvertible>(_ value: T) throws {
        guard value.isFinite else { throw fail() }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
    }

    /// A quoted string escaped as Foundation's JSONWriter does: `"` `\` and `/` get a
    /// backslash, \b \f \n \r \t their short forms, other controls `\u00xx`; the rest
    /// (0x7F, all non-ASCII) is copied.
    func writeString(_ value: String) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var run = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x2F else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                run = i + 1
                out.append(0x5C)
                switch b {
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x22, 0x5C, 0x2F: out.append(b)
                default:
                    let hex: StaticString = "0123456789abcdef"
                    writeRaw("u00")
                    out.append(hex.utf8Start[Int(b >> 4)])
                    out.append(hex.utf8Start[Int(b & 0xF)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
