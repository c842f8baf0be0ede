/// Random identifiers without Foundation's `UUID()` (which reads /dev/urandom on every call
/// on Linux): 128 bits from the system RNG (getrandom), version-4 bits set.
public enum FastID {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private static func bits() -> (UInt64, UInt64) {
        var rng = SystemRandomNumberGenerator()
        var hi: UInt64 = rng.next()
        var lo: UInt64 = rng.next()
        hi = (hi & ~0xF000) | 0x4000  // version 4
        lo = (lo & ~(0xC << 60)) | (0x8 << 60)  // RFC 4122 variant
        return (hi, lo)
    }

    private static func byte(_ i: Int, _ hi: UInt64, _ lo: UInt64) -> UInt8 {
        UInt8(truncatingIfNeeded: i < 8 ? hi >> (56 - 8 * UInt64(i)) : lo >> (56 - 8 * UInt64(i - 8)))
    }

    /// 32 lowercase hex digits (oslo's `uuid4().hex`).
    public static func hex32() -> String {
        let (hi, lo) = bits()
        return String(unsafeUninitializedCapacity: 32) { buf in
            for i in 0..<16 {
                let b = byte(i, hi, lo)
                buf[2 * i] = hex[Int(b >> 4)]
                buf[2 * i + 1] = hex[Int(b & 0xF)]
            }
            return 32
        }
    }

    /// A lowercase UUID string `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
    public static func uuidString() -> String {
        let (hi, lo) = bits()
        return String(unsafeUninitializedCapacity: 36) { buf in
            var o = 0
            for i in 0..<16 {
                if i == 4 || i == 6 || i == 8 || i == 10 {
                    buf[o] = UInt8(ascii: "-")
                    o += 1
                }
                let b = byte(i, hi, lo)
                buf[o] = hex[Int(b >> 4)]
                buf[o + 1] = hex[Int(b & 0xF)]
                o += 2
            }
            return 36
        }
    }
}
