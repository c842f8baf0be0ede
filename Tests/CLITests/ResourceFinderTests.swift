import Messaging
import Testing
@testable import CLI

@Suite struct ResourceFinderTests {
    @Test func idLookupWinsFirst() async throws {
        let stub = StubTransport()
        stub.on("GET /image/v2/images/abc", 200, #"{"id": "abc", "name": "cirros", "status": "active"}"#)
        let image = try await ResourceFinder(client: stubClient(stub)).find(.image, "abc")
        #expect(image["name"] == "cirros")
        #expect(stub.keys == ["GET /image/v2/images/abc"])
    }

    @Test func notFoundByIDFallsBackToExactNameMatch() async throws {
        let stub = StubTransport()
        stub.on("GET /image/v2/images?name=cirros", 200,
                #"{"images": [{"id": "1", "name": "cirros-old"}, {"id": "2", "name": "cirros"}]}"#)
        let id = try await ResourceFinder(client: stubClient(stub)).id(.image, "cirros")
        #expect(id == "2")
        #expect(stub.keys == ["GET /image/v2/images/cirros", "GET /image/v2/images?name=cirros"])
    }

    @Test func noneAndSeveralGiveTheClientsMessages() async throws {
        let stub = StubTransport()
        stub.on("GET /image/v2/images?name=cirros", 200, #"{"images": []}"#)
        stub.on("GET /compute/v2.1/servers/detail?name=demo", 200, #"{"servers": [{"id": "a", "name": "demo"}, {"id": "b", "name": "demo"}]}"#)
        let finder = ResourceFinder(client: stubClient(stub))
        await #expect(throws: CLIError("No image with a name or ID of 'cirros' exists.")) { _ = try await finder.find(.image, "cirros") }
        await #expect(throws: CLIError("More than one server exists with the name 'demo'.")) { _ = try await finder.find(.server, "demo") }
    }

    @Test func flavorsAreFilteredHereFromTheFullList() async throws {
        let stub = StubTransport()
        stub.on("GET /compute/v2.1/flavors/detail?is_public=None", 200,
                #"{"flavors": [{"id": "1", "name": "m1.tiny"}, {"id": "2", "name": "m1.small"}]}"#)
        #expect(try await ResourceFinder(client: stubClient(stub)).id(.flavor, "m1.small") == "2")
    }

    @Test func computeItemsAreUnwrapped() async throws {
        let stub = StubTransport()
        stub.on("GET /compute/v2.1/servers/u-1", 200, #"{"server": {"id": "u-1", "name": "demo"}}"#)
        #expect(try await ResourceFinder(client: stubClient(stub)).find(.server, "u-1")["name"] == "demo")
    }

    @Test func serverErrorsAreNotTreatedAsMissing() async {
        let stub = StubTransport()
        stub.on("GET /compute/v2.1/servers/demo", 500, #"{"computeFault": {"code": 500, "message": "boom"}}"#)
        await #expect(throws: APIError(status: 500, message: "boom")) {
            _ = try await ResourceFinder(client: stubClient(stub)).find(.server, "demo")
        }
    }

    @Test func networkResolutionUsesTheNetworkAPIOrSaysItIsMissing() async throws {
        let stub = StubTransport()
        stub.on("GET /network/v2.0/networks?name=public", 200, #"{"networks": [{"id": "n1", "name": "public"}]}"#)
        #expect(try await ResourceFinder(client: stubClient(stub)).id(.network, "public") == "n1")

        let empty = StubTransport()   // every path 404s: no Network API behind the endpoint
        await #expect(throws: CLIError.networkUnavailable) {
            _ = try await ResourceFinder(client: stubClient(empty)).id(.network, "public")
        }
        await #expect(throws: CLIError.networkUnavailable) {
            _ = try await ResourceFinder(client: stubClient(empty, network: false)).id(.network, "public")
        }
        #expect(CLIError.networkUnavailable.message.hasPrefix("Network API not available"))
    }

    @Test func namesAreEscapedInPathsAndQueries() async throws {
        let stub = StubTransport()
        stub.on("GET /image/v2/images?name=my%20image", 200, #"{"images": [{"id": "9", "name": "my image"}]}"#)
        #expect(try await ResourceFinder(client: stubClient(stub)).id(.image, "my image") == "9")
        #expect(stub.requests[0].url.absoluteString == "http://cloud.test/image/v2/images/my%20image")
    }
}
