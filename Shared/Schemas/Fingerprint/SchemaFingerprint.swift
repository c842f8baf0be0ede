/// A short, stable hash of a message type's canonical shape (see ``SchemaShape``).
///
/// The hash is 64-bit FNV-1a over the UTF-8 bytes of the canonical shape, printed as 16
/// lower-case hex digits. FNV-1a is not cryptographic (CryptoKit is not on Linux and the
/// fingerprint guards against accidents, not adversaries); what matters is that it is defined
/// by two constants, so it is the same on every platform, build and run, unlike `Hasher`, which
/// is seeded per process.
///
/// Use it like Nova's `test_versions`: a test lists `"<version>-<fingerprint>"` for each
/// versioned message; changing a message's fields changes its fingerprint and fails the test
/// until the author bumps the version and updates the list.
public enum SchemaFingerprint {
    /// The fingerprint of `type`'s canonical shape: 16 lower-case hex digits.
    /// - Throws: ``SchemaShapeError`` when the shape cannot be recorded.
    public static func of<T: Decodable>(_ type: T.Type) throws -> String {
        of(shape: try SchemaShape.describe(type))
    }

    /// `"<version>-<fingerprint>"` for `type`, for example `"1.3-9c1f2a0b7d4e5f61"`, in the
    /// format of Nova's object fingerprint lists.
    /// - Throws: ``SchemaShapeError`` when the shape cannot be recorded.
    public static func of<T: Decodable>(_ type: T.Type, version: String) throws -> String {
        "\(version)-\(try of(type))"
    }

    /// The fingerprint of an already-rendered canonical shape.
    public static func of(shape: String) -> String {
        let hash = FNV1a64.hash(shape.utf8)
        let hex = String(hash, radix: 16, uppercase: false)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// 64-bit FNV-1a (Fowler–Noll–Vo), as specified at http://www.isthe.com/chongo/tech/comp/fnv/.
enum FNV1a64 {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        return hash
    }
}
