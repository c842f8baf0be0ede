import CRabbitMQ
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Random identifiers without Foundation's `UUID()` (which reads /dev/urandom on every call
/// on Linux): 128 bits from the kernel's RNG (getrandom), version-4 bits set. The bytes are
/// fetched 4 KiB at a time (one syscall per 256 ids instead of two per id); they are the
/// same getrandom output, only read ahead.
public enum FastID {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private struct Pool: ~Copyable {
        static let size = 4096
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)  // lives as long as the process
        var next = size

        mutating func take() -> (UInt64, UInt64) {
            if next + 16 > Self.size { refill() }
            defer { next += 16 }
            return (bytes.load(fromByteOffset: next, as: UInt64.self), bytes.load(fromByteOffset: next + 8, as: UInt64.self))
        }

        private mutating func refill() {
            var filled = 0
            while filled < Self.size {
                let n = cirrus_getrandom(bytes.baseAddress! + filled, Self.size - filled)
                if n > 0 {
                    filled += Int(n)
                } else if errno != EINTR {
                    // No getrandom (very old kernel, seccomp): the standard library's generator.
                    var rng = SystemRandomNumberGenerator()
                    while filled + 8 <= Self.size {
                        bytes.storeBytes(of: rng.next() as UInt64, toByteOffset: filled, as: UInt64.self)
                        filled += 8
                    }
                }
            }
            next = 0
        }
    }

    private static let pool = Mutex(Pool())

    private static func bits() -> (UInt64, UInt64) {
        var (hi, lo) = pool.withLock { $0.take() }
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
