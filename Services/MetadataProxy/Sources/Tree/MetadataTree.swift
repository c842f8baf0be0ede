/// Routes a normalised path to the EC2 or OpenStack tree of the identified instance, with
/// Nova's aliases: `latest`, an optional leading `ec2/`, and `/openstack` listing versions.
public enum MetadataTree {
    /// What `/` (and `//`, `/.`) returns, before any identification.
    public static let rootListing = MetadataResponse(text: EC2Tree.versionsListing)

    /// Whether a path needs no instance (the EC2 versions list).
    public static func isAnonymous(_ path: MetadataPath) -> Bool { path.segments.isEmpty }

    /// The answer for `path` about `instance`.
    public static func respond(_ path: MetadataPath, instance: RenderedInstance) -> MetadataResponse {
        var segs = path.segments[...]
        if segs.first == "openstack" {
            segs = segs.dropFirst()
            guard let first = segs.first else { return MetadataResponse(text: OpenStackTree.versionsListing) }
            guard let version = OpenStackTree.version(first) else { return .notFound }
            return instance.respond(tree: "openstack", version: version, rest: segs.dropFirst())
        }
        if segs.first == "ec2" { segs = segs.dropFirst() }
        guard let first = segs.first else { return rootListing }
        guard let version = EC2Tree.version(first) else { return .notFound }
        return instance.respond(tree: "ec2", version: version, rest: segs.dropFirst())
    }
}
