import APIService
import Foundation
import Hummingbird
import HummingbirdTesting
import Messaging
import Testing

@Suite struct IdentityTests {
    @Test func versionDocuments() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let v3 = try await c.send(.get, "/v3")
            #expect(v3.status == .ok)
            #expect(v3.json.at("version", "id") == "v3.14")
            #expect(v3.json.at("version", "links", "0", "href") == "http://api.test:8774/v3/")
            let compute = try await c.send(.get, "/compute/v2.1/")
            #expect(compute.json.at("version", "version") == "2.1")
            #expect(compute.json.at("version", "min_version") == "2.1")
            #expect(compute.headers[HeaderName("OpenStack-API-Version")!] == "compute 2.1")
            #expect(try await c.send(.get, "/compute").json.at("versions", "0", "id") == "v2.1")
            let image = try await c.send(.get, "/image")
            #expect(image.status == .multipleChoices)
            #expect(image.json.at("versions", "0", "links", "0", "href") == "http://api.test:8774/image/v2/")
            #expect(try await c.send(.get, "/network").json.at("versions", "0", "id") == "v2.0")
        }
    }

    @Test func tokenWithCatalog() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let body: JSONValue = [
                "auth": [
                    "identity": ["methods": ["password"], "password": ["user": ["name": "demo", "password": "demo", "domain": ["name": "Default"]]]],
                    "scope": ["project": ["name": "demo", "domain": ["name": "Default"]]],
                ]
            ]
            let r = try await c.send(.post, "/v3/auth/tokens", json: body)
            #expect(r.status == .created)
            #expect(r.headers[HeaderName("X-Subject-Token")!] != nil)
            #expect(r.headers[HeaderName("x-openstack-request-id")!]?.hasPrefix("req-") == true)
            let token = r.json.at("token")!
            #expect(token.at("expires_at")?.stringValue?.hasSuffix("Z") == true)
            #expect(token.at("project", "name") == "demo")
            #expect(token.at("user", "domain", "id") == "default")
            #expect(token.at("roles")?.arrayValue.contains { $0["name"] == "member" } == true)
            let catalog = token.at("catalog")!.arrayValue
            let urls = Dictionary(uniqueKeysWithValues: catalog.map { ($0["type"]!.stringValue!, $0.at("endpoints", "0", "url")!.stringValue!) })
            #expect(urls == [
                "identity": "http://api.test:8774/v3", "compute": "http://api.test:8774/compute/v2.1",
                "image": "http://api.test:8774/image", "network": "http://api.test:8774/networking",
            ])
            #expect(catalog.allSatisfy { $0.at("endpoints", "0", "interface") == "public" && $0.at("endpoints", "0", "region_id") == "RegionOne" })
        }
    }

    @Test func wrongCredentialsAndMissingTokens() async throws {
        let api = try TestAPI()
        try await api.run { c in
            await #expect(throws: TestFailure.self) { try await c.token("demo", "wrong") }
            await #expect(throws: TestFailure.self) { try await c.token("demo", "demo", project: "admin") }
            let none = try await c.send(.get, "/compute/v2.1/servers")
            #expect(none.status == .unauthorized)
            #expect(none.json.at("error", "code") == 401)
            let bogus = try await c.send(.get, "/compute/v2.1/servers", token: "gAAAAnope")
            #expect(bogus.status == .unauthorized)
            let malformed = try await c.send(.post, "/v3/auth/tokens", raw: ByteBuffer(string: "{"))
            #expect(malformed.status == .badRequest)
            #expect(malformed.json.at("error", "message")?.stringValue?.contains("not valid JSON") == true)
        }
    }

    @Test func tokensExpire() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            #expect(try await c.send(.get, "/compute/v2.1/flavors", token: token).status == .ok)
            api.clock.advance(3601)
            let expired = try await c.send(.get, "/compute/v2.1/flavors", token: token)
            #expect(expired.status == .unauthorized)
            #expect(expired.json.at("error", "message")?.stringValue?.contains("expired") == true)
        }
    }

    @Test func microversionTooHighIsRefused() async throws {
        let api = try TestAPI()
        try await api.run { c in
            let token = try await c.token("demo", "demo")
            let r = try await c.client.execute(
                uri: "/compute/v2.1/flavors", method: .get,
                headers: [HeaderName("X-Auth-Token")!: token, HeaderName("OpenStack-API-Version")!: "compute 2.95"])
            #expect(r.status == .notAcceptable)
        }
    }
}
