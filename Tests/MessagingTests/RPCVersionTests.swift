import Foundation
import Testing

@testable import Messaging

@Suite struct RPCVersionTests {
    @Test(arguments: [
        ("1", RPCVersion(1, 0, 0)), ("1.3", RPCVersion(1, 3, 0)), ("1.3.2", RPCVersion(1, 3, 2)),
        ("0.0", RPCVersion(0, 0, 0)), ("10.20", RPCVersion(10, 20, 0)), ("6.5.0", RPCVersion(6, 5, 0)),
    ])
    func parsesValidVersions(text: String, expected: RPCVersion) throws {
        let v = try #require(RPCVersion(text))
        #expect(v == expected)
        #expect(v.major == expected.major && v.minor == expected.minor && v.revision == expected.revision)
    }

    @Test(arguments: [
        "", "a.b", "1..2", "-1.0", "1.-1", "1.", ".1", "1.2.3.4", " 1.0", "1.0 ", "1.a", "1,0", "１.０", "1.0\n",
    ])
    func rejectsInvalidVersions(text: String) {
        #expect(RPCVersion(text) == nil)
    }

    @Test func descriptionOmitsAZeroRevision() {
        #expect(RPCVersion(1, 3).description == "1.3")
        #expect(RPCVersion(1, 3, 2).description == "1.3.2")
        #expect(RPCVersion("1")?.description == "1.0")
        #expect("\(RPCVersion(6, 0))" == "6.0")
    }

    /// oslo `_utils.version_is_compatible(imp_version, version)`.
    @Test(arguments: [
        ("1.3", "1.0", true), ("1.3", "1.3", true), ("1.3", "1.2", true),
        ("1.3", "1.4", false), ("1.3", "2.0", false), ("2.0", "1.9", false), ("2.1", "1.0", false),
        ("1.3", "1.3.1", false), ("1.3.2", "1.3.1", true), ("1.3.2", "1.3.2", true), ("1.3.2", "1.3.3", false),
        ("1.3.0", "1.2.9", true), ("1.0", "1", true), ("1", "1.0", true), ("0.1", "0.0", true), ("6.5", "5.13", false),
    ])
    func canServeFollowsOsloRule(implemented: String, requested: String, expected: Bool) throws {
        let impl = try #require(RPCVersion(implemented))
        let req = try #require(RPCVersion(requested))
        #expect(impl.canServe(req) == expected)
    }

    @Test func orderingIsNumericPerComponent() throws {
        let texts = ["2.0", "1.10", "1.2", "1.3.1", "1.3", "0.9", "1.2.10", "1.2.9"]
        let sorted = try texts.map { try #require(RPCVersion($0)) }.sorted()
        #expect(sorted.map(\.description) == ["0.9", "1.2", "1.2.9", "1.2.10", "1.3", "1.3.1", "1.10", "2.0"])
        #expect(RPCVersion(1, 2) < RPCVersion(1, 10))
        #expect(RPCVersion(1, 3) < RPCVersion(1, 3, 1))
        #expect(!(RPCVersion(1, 3) < RPCVersion(1, 3)))
        #expect(RPCVersion(1, 3) <= RPCVersion(1, 3))
        #expect(RPCVersion(2, 0) > RPCVersion(1, 99, 99))
        #expect(RPCVersion("1.3") == RPCVersion(1, 3, 0))
    }

    private struct Box: Codable, Equatable {
        var version: RPCVersion
    }

    @Test func encodesAsAString() throws {
        let data = try JSONEncoder().encode(Box(version: RPCVersion(4, 5)))
        #expect(String(decoding: data, as: UTF8.self) == #"{"version":"4.5"}"#)
        let withRevision = try JSONEncoder().encode(Box(version: RPCVersion(1, 3, 2)))
        #expect(String(decoding: withRevision, as: UTF8.self) == #"{"version":"1.3.2"}"#)
    }

    @Test func decodesFromAString() throws {
        let box = try JSONDecoder().decode(Box.self, from: Data(#"{"version": "1.3.2"}"#.utf8))
        #expect(box.version == RPCVersion(1, 3, 2))
        let roundTrip = try JSONDecoder().decode(Box.self, from: JSONEncoder().encode(Box(version: RPCVersion(6, 5))))
        #expect(roundTrip == Box(version: RPCVersion(6, 5)))
    }

    @Test(arguments: [#"{"version": "x.y"}"#, #"{"version": 1.3}"#, #"{"version": ""}"#, #"{"version": null}"#])
    func decodingRejectsNonVersions(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(json.utf8)) }
    }
}
