import Foundation
import Schemas

/// One instance's documents, rendered once per revision so serving a hot key is a dictionary
/// lookup: the EC2 `2009-04-04` tree and the OpenStack `2018-08-27` (what cloud-init 22.4
/// picks) and `latest` trees, keyed by canonical path (`ec2/2009-04-04/meta-data/instance-id`,
/// `openstack/2025-04-04/meta_data.json`). Other versions are rendered on demand.
public struct RenderedInstance: Sendable {
    public let instance: InstanceMetadata
    public let options: MetadataTreeOptions
    let documents: [String: Document]

    enum Document: Sendable {
        case ready(MetadataResponse)
        case seeded(prefix: [UInt8], suffix: [UInt8])
    }

    static let flattenedEC2 = [EC2Tree.latest]
    static let flattenedOpenStack = ["2018-08-27", OpenStackTree.latest]

    public init(_ instance: InstanceMetadata, options: MetadataTreeOptions) {
        self.instance = instance
        self.options = options
        var docs: [String: Document] = [:]
        for v in Self.flattenedEC2 {
            for (path, node) in EC2Tree.build(instance, version: v, options: options).flattened() {
                docs[path.isEmpty ? "ec2/\(v)" : "ec2/\(v)/\(path)"] = Self.document(node)
            }
        }
        for v in Self.flattenedOpenStack {
            for (path, node) in OpenStackTree.build(instance, version: v, options: options).flattened() {
                docs[path.isEmpty ? "openstack/\(v)" : "openstack/\(v)/\(path)"] = Self.document(node)
            }
        }
        documents = docs
    }

    /// The answer for a path below a version (`ec2/2009-04-04/meta-data`), after the caller
    /// resolved aliases; 404 for anything not in the tree.
    public func respond(tree: String, version: String, rest: ArraySlice<String>) -> MetadataResponse {
        let flattened = tree == "ec2" ? Self.flattenedEC2.contains(version) : Self.flattenedOpenStack.contains(version)
        if flattened {
            let key = rest.isEmpty ? "\(tree)/\(version)" : "\(tree)/\(version)/" + rest.joined(separator: "/")
            guard let doc = documents[key] else { return .notFound }
            return Self.serve(doc)
        }
        let root = tree == "ec2"
            ? EC2Tree.build(instance, version: version, options: options)
            : OpenStackTree.build(instance, version: version, options: options)
        guard let node = root.find(rest) else { return .notFound }
        return Self.serve(Self.document(node))
    }

    static func document(_ node: MetadataNode) -> Document {
        switch node {
        case .directory: .ready(MetadataResponse(text: node.listing))
        case .leaf(let bytes, let type): .ready(MetadataResponse(contentType: type, body: bytes))
        case .seededJSON(let prefix, let suffix): .seeded(prefix: Array(prefix.utf8), suffix: Array(suffix.utf8))
        }
    }

    static func serve(_ doc: Document) -> MetadataResponse {
        switch doc {
        case .ready(let r): return r
        case .seeded(let prefix, let suffix):
            return MetadataResponse(contentType: MetadataResponse.json, body: prefix + Array(randomSeed().utf8) + suffix)
        }
    }

    /// Base64 of 512 fresh random bytes, as Nova's `random_seed`.
    static func randomSeed() -> String {
        var g = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 512)
        for i in stride(from: 0, to: 512, by: 8) {
            withUnsafeBytes(of: g.next() as UInt64) { raw in
                for j in 0..<8 { bytes[i + j] = raw[j] }
            }
        }
        return Data(bytes).base64EncodedString()
    }
}
