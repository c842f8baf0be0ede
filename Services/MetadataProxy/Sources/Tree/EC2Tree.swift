import Foundation
import Schemas

/// The EC2-compatible tree exactly as Nova serves it (`nova/api/metadata/base.py`), for one
/// version: `meta-data/` and, when the instance has user data, `user-data`.
public enum EC2Tree {
    /// Every version Nova lists at `/`, oldest first; `latest` is `2009-04-04`.
    public static let versions = [
        "1.0", "2007-01-19", "2007-03-01", "2007-08-29", "2007-10-10", "2007-12-15", "2008-02-01", "2008-09-01", "2009-04-04",
    ]
    public static let latest = "2009-04-04"

    /// The `/` listing (one per line, no trailing newline).
    public static let versionsListing = (versions + ["latest"]).joined(separator: "\n")

    /// The version a path segment names (`latest` resolved), or nil when unknown.
    public static func version(_ segment: String) -> String? {
        segment == "latest" ? latest : (versions.contains(segment) ? segment : nil)
    }

    /// The tree of `version` (one of ``versions``).
    public static func build(_ i: InstanceMetadata, version: String, options: MetadataTreeOptions) -> MetadataNode {
        let since = { (v: String) in (versions.firstIndex(of: version) ?? 0) >= (versions.firstIndex(of: v) ?? 0) }
        let hostname = fullHostname(i, options: options)
        var md: [MetadataNode.Entry] = [
            .init("ami-id", .text(String(format: "ami-%08x", i.imageInternalID))),
            .init("ami-launch-index", .text(String(i.launchIndex))),
            .init("ami-manifest-path", .text("FIXME")),
            .init("instance-id", .text(ec2InstanceID(i))),
            .init("hostname", .text(hostname)),
            .init("local-ipv4", .text(localIPv4(i) ?? "")),
            .init("reservation-id", .text(i.reservationID)),
            .init("security-groups", .text(i.securityGroups.joined(separator: "\n"))),
        ]
        if let keyName = i.keyName, let key = i.keyData {
            let keyDir = MetadataNode.directory([.init("openssh-key", .text(key))], label: "0=\(keyName)")
            md.append(.init("public-keys", .directory([.init("0", keyDir)])))
        }
        if since("2007-01-19") {
            md += [
                .init("local-hostname", .text(hostname)), .init("public-hostname", .text(hostname)),
                .init("public-ipv4", .text("")),
            ]
        }
        if since("2007-08-29") { md.append(.init("instance-type", .text(i.flavorName))) }
        if since("2007-12-15") {
            md.append(.init("block-device-mapping", .sortedDirectory([.init("ami", .text("vda")), .init("root", .text("/dev/vda"))])))
        }
        if since("2008-02-01") {
            md.append(.init("placement", .directory([.init("availability-zone", .text(i.availabilityZone))])))
        }
        if since("2008-09-01") { md.append(.init("instance-action", .text("none"))) }
        var top: [MetadataNode.Entry] = [.init("meta-data", .sortedDirectory(md))]
        if let ud = userData(i) { top.append(.init("user-data", .leaf(ud))) }
        return .sortedDirectory(top)
    }

    /// `i-%08x` of the instance's internal id.
    public static func ec2InstanceID(_ i: InstanceMetadata) -> String { String(format: "i-%08x", i.internalID) }

    /// `<hostname>.<domain>`, or the bare hostname when the domain is empty.
    public static func fullHostname(_ i: InstanceMetadata, options: MetadataTreeOptions) -> String {
        options.domain.isEmpty ? i.hostname : "\(i.hostname).\(options.domain)"
    }

    /// The first fixed IPv4 address over the instance's interfaces.
    public static func localIPv4(_ i: InstanceMetadata) -> String? {
        for iface in i.interfaces {
            for ip in iface.port.fixedIPs where !ip.ipAddress.contains(":") { return ip.ipAddress }
        }
        return nil
    }

    /// The decoded user data (stored base64); raw bytes if it is not base64; nil when none.
    public static func userData(_ i: InstanceMetadata) -> [UInt8]? {
        guard let ud = i.userData, !ud.isEmpty else { return nil }
        if let data = Data(base64Encoded: ud, options: .ignoreUnknownCharacters) { return Array(data) }
        return Array(ud.utf8)
    }
}
