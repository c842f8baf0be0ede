import Schemas

/// A rendered instance as bytes, so the SQLite cache holds it ready to serve: a cold instance
/// costs one row read instead of a JSON decode and a render.
extension RenderedInstance {
    /// Identifies what the bytes depend on (slot table and tree options): stored renderings made
    /// under another fingerprint are ignored and re-rendered.
    static func fingerprint(_ options: MetadataTreeOptions) -> String {
        "r1|\(DocumentSlots.count)|\(options.domain)|\(options.vendorData)"
    }

    /// `[refs: count × 13 bytes][blob]`.
    var serialized: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(refs.count * 13 + blob.count)
        for r in refs {
            for v in [r.start, r.split, r.end] { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
            out.append(r.kind.rawValue)
        }
        return out + blob
    }

    /// Rebuilds from ``serialized``; nil when the bytes do not fit this binary's slot table.
    init?(uuid: String, revision: Int, hasPassword: Bool, options: MetadataTreeOptions, serialized bytes: [UInt8],
          load: @escaping @Sendable () -> InstanceMetadata?) {
        let n = DocumentSlots.count
        guard bytes.count >= n * 13 else { return nil }
        var refs: [DocumentRef] = []
        refs.reserveCapacity(n)
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        let blobCount = UInt32(bytes.count - n * 13)
        for i in 0..<n {
            let o = i * 13
            guard let kind = DocumentRef.Kind(rawValue: bytes[o + 12]) else { return nil }
            let r = DocumentRef(start: u32(o), split: u32(o + 4), end: u32(o + 8), kind: kind)
            guard r.start <= r.split, r.split <= r.end, r.end <= blobCount else { return nil }
            refs.append(r)
        }
        self.init(uuid: uuid, revision: revision, hasPassword: hasPassword, options: options, blob: Array(bytes[(n * 13)...]),
                  refs: refs, load: load)
    }
}
