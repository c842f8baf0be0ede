import Foundation
@testable import Messaging
import Schemas
import Testing

/// Every golden fixture through the lean coders: decoding takes the lean path and gives
/// JSONDecoder's value; encoding that value gives JSONEncoder's JSON (member order aside).
struct WireJSONFixtureTests {
    @Test func everyFixtureDecodesAndEncodesAsFoundationDoes() throws {
        var checked = 0
        for api in SchemaRegistry.apis {
            let topicDir = SchemaCompatibilityTests.fixturesRoot.appendingPathComponent(api.topic)
            for v in try FileManager.default.contentsOfDirectory(atPath: topicDir.path) {
                let dir = topicDir.appendingPathComponent(v)
                for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".json") {
                    let parts = file.split(separator: ".")
                    guard let method = api.methods.first(where: { $0.name == String(parts[0]) }) else { continue }
                    let data = try Data(contentsOf: dir.appendingPathComponent(file))
                    let type: any (Codable & Sendable).Type = parts[1] == "args" ? method.arguments : method.result
                    try check(type, data, "\(api.topic)/\(v)/\(file)")
                    checked += 1
                }
            }
        }
        #expect(checked > 50)
    }

    private func check<T: Codable>(_ type: T.Type, _ data: Data, _ name: String) throws {
        let reference = try JSONDecoder().decode(T.self, from: data)
        let lean = try #require(try? data.withUnsafeBytes { try WireJSONDecoder.decode(T.self, from: $0) }, "lean decoder fell back on \(name)")
        let sorted = JSONEncoder()
        sorted.outputFormatting = .sortedKeys
        #expect(try sorted.encode(lean) == sorted.encode(reference), "\(name)")
        let leanText = try #require(try? WireJSONEncoder.encode(reference), "lean encoder fell back on \(name)")
        #expect(try JSONValue.parse(Data(leanText)) == JSONValue.parse(JSONEncoder().encode(reference)), "\(name)")
        #expect(try sorted.encode(WireJSON.decode(T.self, from: Data(leanText))) == sorted.encode(reference), "\(name)")
    }
}
