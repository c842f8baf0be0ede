import Schemas

/// The OpenStack-format tree (`/openstack/<version>/…`) as Nova serves it.
public enum OpenStackTree {
    /// Every version Nova lists under `/openstack`, oldest first.
    public static let versions = [
        "2012-08-10", "2013-04-04", "2013-10-17", "2015-10-15", "2016-06-30", "2016-10-06", "2017-02-22", "2018-08-27",
        "2020-10-14", "2025-04-04",
    ]
    /// What `latest` serves.
    public static let latest = "2025-04-04"

    /// The `/openstack` listing.
    public static let versionsListing = (versions + ["latest"]).joined(separator: "\n")

    public static func version(_ segment: String) -> String? {
        segment == "latest" ? latest : (versions.contains(segment) ? segment : nil)
    }

    /// The directory of one version, files in Nova's order.
    public static func build(_ i: InstanceMetadata, version: String, options: MetadataTreeOptions) -> MetadataNode {
        let since = { (v: String) in version >= v }
        var files: [MetadataNode.Entry] = [.init("meta_data.json", metaData(i, version: version, options: options))]
        if let ud = EC2Tree.userData(i) { files.append(.init("user_data", .leaf(ud))) }
        if since("2013-04-04") { files.append(.init("password", .text(i.password ?? ""))) }
        if since("2013-10-17") { files.append(.init("vendor_data.json", .text(options.vendorData, contentType: MetadataResponse.json))) }
        if since("2015-10-15") {
            files.append(.init("network_data.json", .text(NetworkDataDocument.build(i).rendered, contentType: MetadataResponse.json)))
        }
        if since("2016-10-06") {
            files.append(.init("vendor_data2.json", .text("{\"static\": \(options.vendorData)}", contentType: MetadataResponse.json)))
        }
        return .directory(files)
    }

    /// `meta_data.json` in Nova's field order; `random_seed` (from 2013-04-04) is filled per request.
    static func metaData(_ i: InstanceMetadata, version: String, options: MetadataTreeOptions) -> MetadataNode {
        var head: [(String, JSONText)] = [("uuid", .string(i.uuid))]
        if !i.metadata.isEmpty {
            head.append(("meta", .object(i.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        if let name = i.keyName, let key = i.keyData {
            head.append(("public_keys", .object([(name, .string(key))])))
            head.append(("keys", .array([.object([("name", .string(name)), ("type", .string("ssh")), ("data", .string(key))])])))
        }
        head += [
            ("hostname", .string(EC2Tree.fullHostname(i, options: options))), ("name", .string(i.name)),
            ("launch_index", .int(i.launchIndex)), ("availability_zone", .string(i.availabilityZone)),
        ]
        var tail: [(String, JSONText)] = []
        if version >= "2015-10-15" { tail.append(("project_id", .string(i.projectID))) }
        if version >= "2016-06-30" { tail.append(("devices", .array([]))) }
        if version >= "2020-10-14" { tail.append(("dedicated_cpus", .array([]))) }
        let headText = String(JSONText.object(head).rendered.dropLast())
        guard version >= "2013-04-04" else {
            return .text(JSONText.object(head + tail).rendered, contentType: MetadataResponse.json)
        }
        let tailText = tail.isEmpty ? "}" : ", " + String(JSONText.object(tail).rendered.dropFirst())
        return .seededJSON(prefix: headText + ", \"random_seed\": \"", suffix: "\"" + tailText)
    }
}
