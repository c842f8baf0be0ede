import Foundation
import Messaging
import Testing
@testable import CLI

/// The network commands' requests against a stub Neutron (paths under the catalog's `network` URL + `/v2.0`).
@Suite struct NetworkHTTPTests {
    @Test func deleteByNameResolvesThenDeletes() async throws {
        let stub = StubTransport()
        stub.on("GET /network/v2.0/networks?name=public", 200, #"{"networks": [{"id": "n1", "name": "public", "subnets": []}]}"#)
        stub.on("DELETE /network/v2.0/networks/n1", 204)
        try await NetworkDelete.run(stubClient(stub), .network, ["public"])
        #expect(stub.keys == ["GET /network/v2.0/networks/public", "GET /network/v2.0/networks?name=public", "DELETE /network/v2.0/networks/n1"])
    }

    @Test func ambiguousNameIsRefusedAndNothingIsDeleted() async throws {
        let stub = StubTransport()
        stub.on("GET /network/v2.0/networks?name=dup", 200,
                #"{"networks": [{"id": "n1", "name": "dup"}, {"id": "n2", "name": "dup"}]}"#)
        await #expect(throws: CLIError("1 of 1 network failed to delete.")) {
            try await NetworkDelete.run(stubClient(stub), .network, ["dup"])
        }
        await #expect(throws: CLIError("More than one network exists with the name 'dup'.")) {
            _ = try await ResourceFinder(client: stubClient(stub)).find(.network, "dup")
        }
        #expect(!stub.keys.contains { $0.hasPrefix("DELETE") })
    }

    @Test func neutronErrorsKeepTheirMessage() async throws {
        let stub = StubTransport()
        stub.on("GET /network/v2.0/subnets/s1", 200, #"{"subnet": {"id": "s1", "name": "sub"}}"#)
        stub.on("DELETE /network/v2.0/subnets/s1", 409,
                #"{"NeutronError": {"type": "SubnetInUse", "message": "Unable to complete operation on subnet s1: One or more ports have an IP allocation from this subnet.", "detail": ""}}"#)
        let r = try await stubClient(stub).raw("DELETE", .network, "subnets/s1")
        #expect(APIError(response: r).description
                == "Unable to complete operation on subnet s1: One or more ports have an IP allocation from this subnet. (HTTP 409)")
        await #expect(throws: CLIError("1 of 1 subnet failed to delete.")) {
            try await NetworkDelete.run(stubClient(stub), .subnet, ["s1"])
        }
    }

    @Test func portListFiltersResolveNames() async throws {
        let stub = StubTransport()
        stub.on("GET /network/v2.0/networks?name=public", 200, #"{"networks": [{"id": "n1", "name": "public"}]}"#)
        stub.on("GET /compute/v2.1/servers/demo", 404)
        stub.on("GET /compute/v2.1/servers/detail?name=demo", 200, #"{"servers": [{"id": "u-1", "name": "demo"}]}"#)
        let cmd = try #require(try CirrusCommand.parseAsRoot(
            ["port", "list", "--network", "public", "--server", "demo", "--device-owner", "compute:nova", "--fixed-ip", "ip-address=10.0.0.5"])
            as? PortListCommand)
        let query = try await cmd.query(ResourceFinder(client: stubClient(stub)))
        #expect(query.map { "\($0.0)=\($0.1)" } == ["network_id=n1", "device_id=u-1", "device_owner=compute:nova", "fixed_ips=ip_address=10.0.0.5"])
        let url = try stubClient(stub).url(.network, "ports", query: query)
        #expect(url.query == "network_id=n1&device_id=u-1&device_owner=compute:nova&fixed_ips=ip_address%3D10.0.0.5")
    }

    @Test func subnetsAndPortsResolveByNameOrID() async throws {
        let stub = StubTransport()
        stub.on("GET /network/v2.0/subnets?name=pub-subnet", 200, #"{"subnets": [{"id": "s1", "name": "pub-subnet"}]}"#)
        stub.on("GET /network/v2.0/ports/p1", 200, #"{"port": {"id": "p1", "name": ""}}"#)
        let finder = ResourceFinder(client: stubClient(stub))
        #expect(try await finder.id(.subnet, "pub-subnet") == "s1")
        #expect(try await finder.id(.port, "p1") == "p1")
        await #expect(throws: CLIError("No port with a name or ID of 'nope' exists.")) {
            stub.on("GET /network/v2.0/ports?name=nope", 200, #"{"ports": []}"#)
            _ = try await finder.find(.port, "nope")
        }
    }
}

@Suite struct ConsoleHTTPTests {
    @Test func remoteConsolesFirstThenTheLegacyAction() async throws {
        let cmd = try #require(try CirrusCommand.parseAsRoot(["console", "url", "show", "demo"]) as? ConsoleURLShowCommand)
        let modern = StubTransport()
        modern.on("POST /compute/v2.1/servers/u-1/remote-consoles", 200,
                  #"{"remote_console": {"protocol": "vnc", "type": "novnc", "url": "http://127.0.0.1:6080/vnc_auto.html?token=t"}}"#)
        let c1 = try await cmd.fetch(stubClient(modern), serverID: "u-1")
        #expect(c1["url"] == "http://127.0.0.1:6080/vnc_auto.html?token=t")
        #expect(try JSONValue.parse(requestData(modern.requests[0])) == ["remote_console": ["protocol": "vnc", "type": "novnc"]])

        let legacy = StubTransport()
        legacy.on("POST /compute/v2.1/servers/u-1/action", 200, #"{"console": {"type": "novnc", "url": "http://x/vnc"}}"#)
        let c2 = try await cmd.fetch(stubClient(legacy), serverID: "u-1")
        #expect(c2 == ["type": "novnc", "url": "http://x/vnc"])
        #expect(legacy.keys == ["POST /compute/v2.1/servers/u-1/remote-consoles", "POST /compute/v2.1/servers/u-1/action"])
        #expect(try TableFormatter(format: .value, columns: ["url"]).show(ResourceFields.fields(c2)) == "http://x/vnc\n")

        let broken = StubTransport()
        broken.on("POST /compute/v2.1/servers/u-1/remote-consoles", 409,
                  #"{"conflictingRequest": {"code": 409, "message": "Instance u-1 is not ready."}}"#)
        await #expect(throws: APIError(status: 409, message: "Instance u-1 is not ready.")) {
            _ = try await cmd.fetch(stubClient(broken), serverID: "u-1")
        }
    }
}

private func requestData(_ r: HTTPRequest) -> Data {
    if case .data(let d) = r.body { return d }
    return Data()
}
