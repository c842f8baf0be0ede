import Messaging

/// The Keystone token body and service catalog: identity, compute, image and network under
/// path prefixes of one public URL. Pure.
public enum ServiceCatalog {
    /// `(type, name, path)` of each catalogued service.
    public static let services: [(type: String, name: String, path: String)] = [
        ("identity", "keystone", "/v3"),
        ("compute", "nova", "/compute/v2.1"),
        ("image", "glance", "/image"),
        ("network", "neutron", "/networking"),
    ]

    public static func catalog(publicURL: String, region: String) -> JSONValue {
        .array(services.map { service in
            let url = publicURL + service.path
            return [
                "id": .string(MD5.hex(Array("service:\(service.type)".utf8))),
                "type": .string(service.type),
                "name": .string(service.name),
                "endpoints": [[
                    "id": .string(MD5.hex(Array("endpoint:\(service.type):public".utf8))),
                    "interface": "public", "region": .string(region), "region_id": .string(region), "url": .string(url),
                ]],
            ]
        })
    }

    static let domain: JSONValue = ["id": "default", "name": "Default"]

    /// `{"token": {...}}` for an issued token.
    public static func tokenBody(_ auth: AuthContext, publicURL: String, region: String) -> JSONValue {
        [
            "token": [
                "methods": ["password"],
                "user": [
                    "id": .string(auth.userID), "name": .string(auth.userName), "domain": domain,
                    "password_expires_at": nil,
                ],
                "project": ["id": .string(auth.projectID), "name": .string(auth.projectName), "domain": domain],
                "roles": .array(auth.roles.map { ["id": .string(MD5.hex(Array("role:\($0)".utf8))), "name": .string($0)] }),
                "expires_at": .string(OpenStackTime.keystone(auth.expiresAt)),
                "issued_at": .string(OpenStackTime.keystone(auth.issuedAt)),
                "audit_ids": [.string(String(auth.token.suffix(22)))],
                "is_domain": false,
                "catalog": catalog(publicURL: publicURL, region: region),
            ]
        ]
    }

    /// `GET /v3`.
    public static func identityVersion(publicURL: String) -> JSONValue {
        [
            "id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
            "links": [["rel": "self", "href": .string(publicURL + "/v3/")]],
            "media-types": [["base": "application/json", "type": "application/vnd.openstack.identity-v3+json"]],
        ]
    }
}
