/// A `_unique_id` or `_msg_id` as a dictionary key: the usual 32 lowercase hex digits as
/// their 128 bits (cheaper to hash and keep than the String), anything else as it came.
enum MessageIDKey: Hashable, Sendable {
    case hex(UInt64, UInt64)
    case other(String)

    init(_ id: String) {
        var halves: (UInt64, UInt64) = (0, 0)
        var count = 0
        for b in id.utf8 {
            let digit: UInt64
            switch b {
            case 0x30...0x39: digit = UInt64(b - 0x30)
            case 0x61...0x66: digit = UInt64(b - 0x61 + 10)
            default:
                self = .other(id)
                return
            }
            if count < 16 { halves.0 = halves.0 << 4 | digit } else { halves.1 = halves.1 << 4 | digit }
            count += 1
            if count > 32 { break }
        }
        self = count == 32 ? .hex(halves.0, halves.1) : .other(id)
    }
}
