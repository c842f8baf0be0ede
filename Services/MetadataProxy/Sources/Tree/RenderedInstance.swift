import Foundation
import Schemas

/// One instance's documents, rendered once per revision so serving a key is an array lookup:
/// the EC2 `2009-04-04` tree and the OpenStack `2018-08-27` (what cloud-init 22.4 picks) and
/// `latest` trees. Compact: every body lives in one byte blob (identical bodies once), indexed by
/// the slot of its canonical path in ``DocumentSlots``; about 4 KB per instance. Other versions
/// are rendered on demand from the instance (`load`).
public struct RenderedInstance: Sendable {
    public let uuid: String
    public let revision: Int
    /// The guest already posted its password (a second POST is 409).
    public let hasPassword: Bool
    let options: MetadataTreeOptions
    let blob: [UInt8]
    let refs: [DocumentRef]
    /// The full instance, for versions that are not pre-rendered.
    let load: @Sendable () -> InstanceMetadata?

    struct DocumentRef: Sendable {
        static let absent = DocumentRef(start: 0, split: 0, end: 0, kind: .absent)
        enum Kind: UInt8, Sendable { case absent, text, json, seeded }
        var start: UInt32
        /// For `.seeded`: where the random seed goes.
        var split: UInt32
        var end: UInt32
        var kind: Kind
    }

    static let flattenedEC2 = [EC2Tree.latest]
    static let flattenedOpenStack = ["2018-08-27", OpenStackTree.latest]

    /// Renders `instance`, keeping it in memory for other versions (tests, small caches).
    public init(_ instance: InstanceMetadata, options: MetadataTreeOptions) {
        self.init(instance, options: options, load: { instance })
    }

    /// Renders `instance`; `load` fetches it again when an unusual version is asked for.
    public init(_ instance: InstanceMetadata, options: MetadataTreeOptions, load: @escaping @Sendable () -> InstanceMetadata?) {
        uuid = instance.uuid
        revision = instance.revision
        hasPassword = !(instance.password ?? "").isEmpty
        self.options = options
        self.load = load
        var blob: [UInt8] = []
        var refs = [DocumentRef](repeating: .absent, count: DocumentSlots.count)
        var seen: [[UInt8]: (UInt32, UInt32)] = [:]
        func append(_ bytes: [UInt8]) -> (UInt32, UInt32) {
            if let r = seen[bytes] { return r }
            let start = UInt32(blob.count)
            blob += bytes
            let r = (start, UInt32(blob.count))
            seen[bytes] = r
            return r
        }
        func add(_ key: String, _ node: MetadataNode) {
            guard let slot = DocumentSlots.slot(key) else { return }
            switch node {
            case .directory:
                let (s, e) = append(Array(node.listing.utf8))
                refs[slot] = DocumentRef(start: s, split: e, end: e, kind: .text)
            case .leaf(let bytes, let type):
                let (s, e) = append(bytes)
                refs[slot] = DocumentRef(start: s, split: e, end: e, kind: type == MetadataResponse.json ? .json : .text)
            case .seededJSON(let prefix, let suffix):
                let start = UInt32(blob.count)
                blob += Array(prefix.utf8)
                let split = UInt32(blob.count)
                blob += Array(suffix.utf8)
                refs[slot] = DocumentRef(start: start, split: split, end: UInt32(blob.count), kind: .seeded)
            }
        }
        for v in Self.flattenedEC2 {
            for (path, node) in EC2Tree.build(instance, version: v, options: options).flattened() {
                add(path.isEmpty ? "ec2/\(v)" : "ec2/\(v)/\(path)", node)
            }
        }
        for v in Self.flattenedOpenStack {
            for (path, node) in OpenStackTree.build(instance, version: v, options: options).flattened() {
                add(path.isEmpty ? "openstack/\(v)" : "openstack/\(v)/\(path)", node)
            }
        }
        self.blob = blob
        self.refs = refs
    }

    init(uuid: String, revision: Int, hasPassword: Bool, options: MetadataTreeOptions, blob: [UInt8], refs: [DocumentRef],
         load: @escaping @Sendable () -> InstanceMetadata?) {
        self.uuid = uuid
        self.revision = revision
        self.hasPassword = hasPassword
        self.options = options
        self.blob = blob
        self.refs = refs
        self.load = load
    }

    /// The answer for a path below a version (`ec2`, `2009-04-04`, `meta-data/…`), after the
    /// caller resolved aliases; 404 for anything not in the tree.
    public func respond(tree: String, version: String, rest: ArraySlice<String>) -> MetadataResponse {
        let flattened = tree == "ec2" ? Self.flattenedEC2.contains(version) : Self.flattenedOpenStack.contains(version)
        if flattened {
            let key = rest.isEmpty ? "\(tree)/\(version)" : "\(tree)/\(version)/" + rest.joined(separator: "/")
            guard let slot = DocumentSlots.slot(key) else { return .notFound }
            return serve(refs[slot])
        }
        guard let instance = load() else { return .notFound }
        let root = tree == "ec2"
            ? EC2Tree.build(instance, version: version, options: options)
            : OpenStackTree.build(instance, version: version, options: options)
        guard let node = root.find(rest) else { return .notFound }
        switch node {
        case .directory: return MetadataResponse(text: node.listing)
        case .leaf(let bytes, let type): return MetadataResponse(contentType: type, body: bytes)
        case .seededJSON(let prefix, let suffix):
            return MetadataResponse(contentType: MetadataResponse.json, body: Array((prefix + Self.randomSeed() + suffix).utf8))
        }
    }

    func serve(_ ref: DocumentRef) -> MetadataResponse {
        switch ref.kind {
        case .absent: return .notFound
        case .text: return MetadataResponse(contentType: MetadataResponse.textPlain, slice: blob[Int(ref.start)..<Int(ref.end)])
        case .json: return MetadataResponse(contentType: MetadataResponse.json, slice: blob[Int(ref.start)..<Int(ref.end)])
        case .seeded:
            let body = blob[Int(ref.start)..<Int(ref.split)] + Array(Self.randomSeed().utf8) + blob[Int(ref.split)..<Int(ref.end)]
            return MetadataResponse(contentType: MetadataResponse.json, body: Array(body))
        }
    }

    /// Base64 of 512 fresh random bytes, as Nova's `random_seed`.
    static func randomSeed() -> String {
        var bytes = [UInt8](repeating: 0, count: 512)
        bytes.withUnsafeMutableBytes { raw in
            var g = SystemRandomNumberGenerator()
            // One getrandom(2) for the whole buffer, not one per 8 bytes.
            if fillRandom(raw.baseAddress, raw.count, 0) != raw.count {
                for i in 0..<raw.count { raw[i] = UInt8.random(in: 0...255, using: &g) }
            }
        }
        return Data(bytes).base64EncodedString()
    }
}

/// getrandom(2) (glibc 2.25+; not exported by the Glibc module).
@_silgen_name("getrandom") private func fillRandom(_ buffer: UnsafeMutableRawPointer?, _ count: Int, _ flags: UInt32) -> Int
