@testable import MetadataProxyService
import Testing

struct EC2TreeTests {
    @Test func rootListsEveryVersionWithoutTrailingNewline() {
        #expect(MetadataTree.rootListing.text == """
            1.0
            2007-01-19
            2007-03-01
            2007-08-29
            2007-10-10
            2007-12-15
            2008-02-01
            2008-09-01
            2009-04-04
            latest
            """)
        #expect(MetadataTree.isAnonymous(MetadataPath(target: "//")!))
        #expect(!MetadataTree.isAnonymous(MetadataPath(target: "/latest")!))
    }

    @Test func versionListsMetaDataAndUserDataOnlyWhenPresent() {
        #expect(Fixtures.get("/2009-04-04/").text == "meta-data/\nuser-data")
        #expect(Fixtures.get("/latest", Fixtures.rendered(Fixtures.instance(userData: nil))).text == "meta-data/")
        #expect(Fixtures.get("/latest/user-data", Fixtures.rendered(Fixtures.instance(userData: nil))).status == 404)
        #expect(Fixtures.get("/latest/user-data").text == "#cloud-config\nhostname: demo\n")
    }

    @Test func metaDataListingIsNovasSortedList() {
        let r = Fixtures.get("/latest/meta-data/")
        #expect(r.status == 200)
        #expect(r.contentType == "text/plain; charset=UTF-8")
        #expect(r.text.split(separator: "\n") == [
            "ami-id", "ami-launch-index", "ami-manifest-path", "block-device-mapping/", "hostname", "instance-action",
            "instance-id", "instance-type", "local-hostname", "local-ipv4", "placement/", "public-hostname", "public-ipv4",
            "public-keys/", "reservation-id", "security-groups",
        ])
        #expect(!r.text.hasSuffix("\n"))
        #expect(!Fixtures.get("/latest/meta-data", Fixtures.rendered(Fixtures.instance(key: false))).text.contains("public-keys"))
    }

    @Test(arguments: [
        ("ami-id", "ami-00000007"), ("ami-launch-index", "0"), ("ami-manifest-path", "FIXME"), ("hostname", "demo-1.novalocal"),
        ("instance-action", "none"), ("instance-id", "i-0000002b"), ("instance-type", "m1.tiny"),
        ("local-hostname", "demo-1.novalocal"), ("local-ipv4", "10.0.0.4"), ("placement/availability-zone", "nova"),
        ("public-hostname", "demo-1.novalocal"), ("public-ipv4", ""), ("reservation-id", "r-abcd1234"),
        ("security-groups", "default"), ("block-device-mapping/ami", "vda"), ("block-device-mapping/root", "/dev/vda"),
        ("block-device-mapping", "ami\nroot"), ("placement", "availability-zone"),
    ])
    func everyKeyHasNovasValue(key: String, value: String) {
        let r = Fixtures.get("/2009-04-04/meta-data/\(key)")
        #expect(r.status == 200, "\(key)")
        #expect(r.text == value, "\(key)")
    }

    @Test func publicKeysUseTheIndexedFormat() {
        #expect(Fixtures.get("/latest/meta-data/public-keys/").text == "0=mykey")
        #expect(Fixtures.get("/latest/meta-data/public-keys/0").text == "openssh-key")
        #expect(Fixtures.get("/latest/meta-data/public-keys/0/openssh-key/").text == Fixtures.key)
        #expect(Fixtures.get("/latest/meta-data/public-keys/1").status == 404)
    }

    @Test func pathsAreNormalisedLikeNova() {
        #expect(Fixtures.get("/2009-04-04/meta-data/../user-data").text.hasPrefix("#cloud-config"))
        #expect(Fixtures.get("/ec2/latest/meta-data/instance-id").text == "i-0000002b")
        #expect(Fixtures.get("//latest//meta-data/instance-id/?x=1").text == "i-0000002b")
        #expect(Fixtures.get("/latest/meta-data/%69nstance-id").text == "i-0000002b")
        #expect(MetadataPath(target: "/latest/%zz") == nil)
        #expect(MetadataPath(target: "/latest/%00") == nil)
        #expect(MetadataPath(target: "/../../etc/passwd")?.segments == ["etc", "passwd"])
    }

    @Test(arguments: [
        "/2009-04-05/meta-data", "/latest/meta-data/nope", "/latest/meta-data/instance-id/x", "/latest/meta-data/security-groups/default",
        "/latest/meta-data/instance-id/x/y", "/latest/api/token", "/latest/dynamic/instance-identity/document", "/etc/passwd",
        "/2021-03-23/meta-data/instance-id",
    ])
    func unknownPathsAre404NeverServerErrors(path: String) {
        let r = Fixtures.get(path)
        #expect(r.status == 404)
        #expect(r.text.hasPrefix("404 Not Found\n\nThe resource could not be found."))
    }

    @Test func olderVersionsHideNewerKeys() {
        let v1 = Fixtures.get("/1.0/meta-data/").text.split(separator: "\n")
        #expect(v1.contains("instance-id") && !v1.contains("local-hostname") && !v1.contains("placement/"))
        #expect(Fixtures.get("/2008-02-01/meta-data/placement/availability-zone").text == "nova")
        #expect(Fixtures.get("/2008-02-01/meta-data/instance-action").status == 404)
        #expect(Fixtures.get("/2008-09-01/meta-data/instance-action").text == "none")
    }

    @Test func domainIsConfigurable() {
        #expect(Fixtures.get("/latest/meta-data/hostname", Fixtures.rendered(domain: "example.org")).text == "demo-1.example.org")
        #expect(Fixtures.get("/latest/meta-data/hostname", Fixtures.rendered(domain: "")).text == "demo-1")
    }

    /// cloud-init discards the whole crawl if one listed item fails: every listed entry of
    /// every directory must answer 200.
    @Test func everyListedItemIsServed() {
        var pending = ["/latest/meta-data", "/latest", "/openstack/latest", "/openstack/2018-08-27", "/openstack/2012-08-10"]
        var seen = 0
        while let dir = pending.popLast() {
            let listing = Fixtures.get(dir)
            #expect(listing.status == 200, "\(dir)")
            for line in listing.text.split(separator: "\n") {
                let name = line.split(separator: "=").first.map(String.init) ?? String(line)
                let child = dir + "/" + name
                let r = Fixtures.get(child)
                #expect(r.status == 200, "\(child)")
                seen += 1
                if line.hasSuffix("/") || line.contains("=") { pending.append(child) }
            }
        }
        #expect(seen > 30)
    }
}
