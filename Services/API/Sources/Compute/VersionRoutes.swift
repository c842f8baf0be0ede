import Hummingbird
import Messaging

/// Unversioned discovery documents of compute, image and network.
public struct VersionRoutes: Sendable {
    public let publicURL: String

    public init(publicURL: String) {
        self.publicURL = publicURL
    }

    public func computeVersion() -> JSONValue {
        [
            "id": "v2.1", "status": "CURRENT", "version": .string(Microversion.current), "min_version": "2.1",
            "updated": "2013-07-23T11:33:21Z",
            "links": [["rel": "self", "href": .string(publicURL + "/compute/v2.1/")]],
            "media-types": [["base": "application/json", "type": "application/vnd.openstack.compute+json;version=2.1"]],
        ]
    }

    public func imageVersions() -> JSONValue {
        ["versions": [["id": "v2.16", "status": "CURRENT", "links": [["rel": "self", "href": .string(publicURL + "/image/v2/")]]]]]
    }

    public func networkVersions() -> JSONValue {
        ["versions": [["id": "v2.0", "status": "CURRENT", "links": [["rel": "self", "href": .string(publicURL + "/network/v2.0/")]]]]]
    }

    public func register(on router: Router<APIRequestContext>) {
        router.get("/compute") { _, _ in JSONResponse.make(["versions": [computeVersion()]]) }
        router.get("/compute/v2.1") { _, _ in JSONResponse.make(["version": computeVersion()]) }
        router.get("/image") { _, _ in JSONResponse.make(imageVersions(), status: .multipleChoices) }
        router.get("/image/versions") { _, _ in JSONResponse.make(imageVersions()) }
        router.get("/network") { _, _ in JSONResponse.make(networkVersions()) }
    }
}
