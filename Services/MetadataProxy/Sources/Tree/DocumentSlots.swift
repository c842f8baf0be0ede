import Schemas

/// Every canonical path a pre-rendered instance can have (`ec2/2009-04-04/meta-data/…`,
/// `openstack/2018-08-27/…`, `openstack/2025-04-04/…`), numbered once for the process, so each
/// ``RenderedInstance`` stores an array instead of a dictionary of path strings.
enum DocumentSlots {
    static let slots: [String: Int] = {
        // An instance with every optional item (key, user data, password).
        let sample = InstanceMetadata(
            uuid: "u", internalID: 1, name: "n", hostname: "h", projectID: "p", userID: "u", reservationID: "r",
            keyName: "k", keyData: "d", userData: "dQ==", flavorName: "f", imageID: "i", imageInternalID: 1,
            createdAt: "", password: "x")
        var paths: [String] = []
        for v in RenderedInstance.flattenedEC2 {
            paths += EC2Tree.build(sample, version: v, options: MetadataTreeOptions()).flattened()
                .map { $0.0.isEmpty ? "ec2/\(v)" : "ec2/\(v)/\($0.0)" }
        }
        for v in RenderedInstance.flattenedOpenStack {
            paths += OpenStackTree.build(sample, version: v, options: MetadataTreeOptions()).flattened()
                .map { $0.0.isEmpty ? "openstack/\(v)" : "openstack/\(v)/\($0.0)" }
        }
        return Dictionary(paths.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }()

    static var count: Int { slots.count }

    static func slot(_ path: String) -> Int? { slots[path] }
}
