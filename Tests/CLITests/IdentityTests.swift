import Foundation
import Messaging
import Testing
@testable import CLI

@Suite struct IdentityTests {
    let credentials = try! Credentials(settings: [
        "auth_url": "http://cloud.test/v3", "username": "admin", "password": "secret", "project_name": "admin",
    ])

    let tokenBody = """
        {"token": {"expires_at": "2030-01-01T00:00:00Z", "catalog": [
          {"type": "compute", "endpoints": [{"interface": "public", "region": "RegionOne", "url": "http://cloud.test/compute/v2.1"},
                                            {"interface": "internal", "region": "RegionOne", "url": "http://int/compute/v2.1"}]},
          {"type": "image", "endpoints": [{"interface": "public", "region_id": "RegionOne", "url": "http://cloud.test/image"}]}]}}
        """

    @Test func tokenFromHeaderAndEndpointsFromCatalog() async throws {
        let stub = StubTransport()
        stub.on("POST /v3/auth/tokens", 201, tokenBody, headers: ["X-Subject-Token": "gAAA"])
        let client = try await Identity.authenticate(credentials, transport: stub)
        #expect(client.token == "gAAA")
        #expect(try client.base(.compute) == "http://cloud.test/compute/v2.1")
        #expect(try client.base(.image) == "http://cloud.test/image/v2")
        #expect(client.catalog.url(type: "compute", interface: "internal") == "http://int/compute/v2.1")
        #expect(throws: CLIError.networkUnavailable) { try client.base(.network) }
    }

    @Test func wrongPasswordReadsLikeKeystone() async throws {
        let stub = StubTransport()
        stub.on("POST /v3/auth/tokens", 401,
                #"{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}"#,
                headers: ["X-OpenStack-Request-Id": "req-1"])
        do {
            _ = try await Identity.authenticate(credentials, transport: stub)
            Issue.record("expected a 401")
        } catch let e as APIError {
            #expect(e.description == "The request you have made requires authentication. (HTTP 401) (Request-ID: req-1)")
        }
    }

    @Test func connectionRefusedNamesTheURL() async {
        let refused = try! Credentials(settings: ["auth_url": "http://127.0.0.1:1", "username": "a", "password": "b", "project_name": "c"])
        await #expect(throws: CLIError("Unable to establish connection to http://127.0.0.1:1/v3/auth/tokens: Connection refused")) {
            _ = try await Identity.authenticate(refused, transport: StubTransport())
        }
    }

    @Test func computeRequestsCarryTokenAndMicroversion() async throws {
        let stub = StubTransport()
        stub.on("GET /compute/v2.1/flavors/detail?is_public=None", 200, #"{"flavors": []}"#)
        _ = try await stubClient(stub).get(.compute, "flavors/detail", query: [("is_public", "None")])
        let r = try #require(stub.requests.first)
        #expect(r.headers["X-Auth-Token"] == "tok")
        #expect(r.headers["OpenStack-API-Version"] == "compute 2.1")
        #expect(r.headers["X-OpenStack-Nova-API-Version"] == "2.1")
    }
}
