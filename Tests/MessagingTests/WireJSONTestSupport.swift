import Foundation
@testable import Messaging
import Testing

/// Runs the lean decoder alone (no fallback).
func leanDecode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
    try data.withUnsafeBytes { try WireJSONDecoder.decode(type, from: $0) }
}

func leanEncode<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try WireJSONEncoder.encode(value), as: UTF8.self)
}

func foundationEncode<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
}

/// Decoding `json` as `T` three ways: the lean decoder must give JSONDecoder's value (and,
/// when `leanMust`, succeed); WireJSON must give JSONDecoder's value or its very error.
func expectSameDecoding<T: Decodable & Equatable>(
    _ type: T.Type, _ json: String, leanMust: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectSameDecoding(type, Data(json.utf8), leanMust: leanMust, sourceLocation: sourceLocation)
}

func expectSameDecoding<T: Decodable & Equatable>(
    _ type: T.Type, _ data: Data, leanMust: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
) {
    let text = String(decoding: data.prefix(120), as: UTF8.self)
    let reference = Result { try JSONDecoder().decode(type, from: data) }
    let lean = Result { try leanDecode(type, data) }
    let entry = Result { try WireJSON.decode(type, from: data) }
    switch reference {
    case .success(let value):
        switch lean {
        case .success(let l): #expect(l == value, "lean decoding of \(text)", sourceLocation: sourceLocation)
        case .failure: #expect(!leanMust, "lean decoder fell back on \(text)", sourceLocation: sourceLocation)
        }
        #expect((try? entry.get()) == value, "WireJSON decoding of \(text)", sourceLocation: sourceLocation)
    case .failure(let error):
        #expect((try? lean.get()) == nil, "lean decoder accepted \(text)", sourceLocation: sourceLocation)
        switch entry {
        case .success: Issue.record("WireJSON accepted \(text)", sourceLocation: sourceLocation)
        case .failure(let e): #expect("\(e)" == "\(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Encoding `value`: the lean encoder must succeed and write what JSONEncoder writes, member
/// order aside (`exact`: byte for byte); WireJSON must return the lean text.
func expectSameEncoding<T: Encodable>(_ value: T, exact: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let reference = try foundationEncode(value)
    let lean = try leanEncode(value)
    if exact {
        #expect(lean == reference, sourceLocation: sourceLocation)
    } else {
        #expect(CanonicalJSON.of(lean) == CanonicalJSON.of(reference), "\(lean) vs \(reference)", sourceLocation: sourceLocation)
        #expect(CanonicalJSON.of(lean) != nil, sourceLocation: sourceLocation)
    }
    #expect(try WireJSON.encode(value) == lean, sourceLocation: sourceLocation)
}

/// Encoding `value` where the lean encoder must give up: WireJSON returns JSONEncoder's text
/// (member order aside) or its error.
func expectEncodingFallback<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(throws: WireJSONFallback.self, sourceLocation: sourceLocation) { try leanEncode(value) }
    switch Result(catching: { try foundationEncode(value) }) {
    case .success(let reference):
        let viaEntry = try? WireJSON.encode(value)
        #expect(viaEntry.flatMap(CanonicalJSON.of) == CanonicalJSON.of(reference), sourceLocation: sourceLocation)
    case .failure(let error):
        #expect(sourceLocation: sourceLocation) { try WireJSON.encode(value) } throws: { "\($0)" == "\(error)" }
    }
}

/// JSON text with each object's members sorted by their raw key text and whitespace dropped,
/// so texts that differ only in member order compare equal. Nil for malformed text.
enum CanonicalJSON {
    static func of(_ text: String) -> String? {
        let b = Array(text.utf8)
        var i = 0
        func space() { while i < b.count, [0x20, 0x0A, 0x0D, 0x09].contains(b[i]) { i += 1 } }
        func string() -> String? {
            let start = i
            i += 1
            while i < b.count, b[i] != UInt8(ascii: "\"") { i += b[i] == UInt8(ascii: "\\") ? 2 : 1 }
            guard i < b.count else { return nil }
            i += 1
            return String(decoding: b[start..<i], as: UTF8.self)
        }
        func value() -> String? {
            space()
            guard i < b.count else { return nil }
            switch b[i] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let object = b[i] == UInt8(ascii: "{")
                i += 1
                var items: [String] = []
                space()
                if i < b.count, b[i] == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    return object ? "{}" : "[]"
                }
                while true {
                    space()
                    var item = ""
                    if object {
                        guard let key = string() else { return nil }
                        space()
                        guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
                        i += 1
                        item = key + ":"
                    }
                    guard let v = value() else { return nil }
                    items.append(item + v)
                    space()
                    guard i < b.count else { return nil }
                    i += 1
                    if b[i - 1] == UInt8(ascii: ",") { continue }
                    guard b[i - 1] == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { return nil }
                    break
                }
                return object ? "{" + items.sorted().joined(separator: ",") + "}" : "[" + items.joined(separator: ",") + "]"
            case UInt8(ascii: "\""):
                return string()
            default:
                let start = i
                while i < b.count, ![UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x0A, 0x0D, 0x09].contains(b[i]) {
                    i += 1
                }
                return i > start ? String(decoding: b[start..<i], as: UTF8.self) : nil
            }
        }
        guard let v = value() else { return nil }
        space()
        return i == b.count ? v : nil
    }
}

// MARK: Types

struct EchoArgs: Codable, Equatable {
    var value: String
}

struct Flavor: Codable, Equatable {
    var id: String
    var name: String
    var vcpus: Int
    var memoryMB: Int64
    var ratio: Double?
    var disabled: Bool
    var tags: [String]
    var extraSpecs: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, name, vcpus, ratio, disabled, tags
        case memoryMB = "memory_mb"
        case extraSpecs = "extra_specs"
    }
}

enum Power: String, Codable { case on, off, paused }
enum Level: Int, Codable { case low = 1, high = 2 }

enum Event: Codable, Equatable {
    case started(host: String, at: Int)
    case stopped
    case failed(String, code: Int?)
}

struct Tree: Codable, Equatable {
    var name: String
    var children: [Tree]
}

struct Everything: Codable, Equatable {
    var power: Power
    var level: Level?
    var events: [Event]
    var maybe: [Int?]
    var matrix: [[Int]]
    var flags: Set<String>
    var byID: [Int: String]
    var byName: [String: [Double]]
    var tree: Tree
    var small: Int8
    var u16: UInt16
    var big: UInt64
    var neg: Int64
    var f: Float
    var d: Double
    var optionalString: String?
    var nestedOptional: [String: String?]
}

/// Reads through every container call a hand-written `init(from:)` may make.
struct Probe: Decodable, Equatable {
    var keys: [String]
    var hasA: Bool
    var hasMissing: Bool
    var bIsNil: Bool
    var c: Int?
    var missing: Int?
    var nullB: String?
    var listCount: Int?
    var list: [Int?]
    var optionals: [String?]
    var sup: String
    var superMissingIsNil: Bool
    var nestedValue: Int
    var nestedPath: [String]

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        keys = c.allKeys.map(\.stringValue).sorted()
        hasA = c.contains(DynamicKey("a"))
        hasMissing = c.contains(DynamicKey("zz"))
        bIsNil = try c.decodeNil(forKey: DynamicKey("b"))
        self.c = try c.decodeIfPresent(Int.self, forKey: DynamicKey("c"))
        missing = try c.decodeIfPresent(Int.self, forKey: DynamicKey("zz"))
        nullB = try c.decodeIfPresent(String.self, forKey: DynamicKey("b"))
        var u = try c.nestedUnkeyedContainer(forKey: DynamicKey("list"))
        listCount = u.count
        var list: [Int?] = []
        while !u.isAtEnd { list.append(try u.decodeNil() ? nil : u.decode(Int.self)) }
        self.list = list
        var o = try c.nestedUnkeyedContainer(forKey: DynamicKey("optionals"))
        optionals = []
        while !o.isAtEnd { optionals.append(try o.decodeIfPresent(String.self)) }
        sup = try String(from: c.superDecoder(forKey: DynamicKey("s")))
        superMissingIsNil = try c.superDecoder().singleValueContainer().decodeNil()
        let n = try c.nestedContainer(keyedBy: DynamicKey.self, forKey: DynamicKey("n"))
        nestedValue = try n.decode(Int.self, forKey: DynamicKey("v"))
        nestedPath = n.codingPath.map(\.stringValue)
    }
}

/// Records the coding path it is decoded at.
struct PathProbe: Decodable, Equatable {
    var path: [String]

    init(from decoder: any Decoder) throws {
        path = decoder.codingPath.map { "\($0.stringValue)|\($0.intValue.map(String.init) ?? "-")" }
    }
}

struct PathHolder: Decodable, Equatable {
    var a: [[String: PathProbe]]
    var b: PathProbe
}

/// Records the coding paths of values decoded through nested containers and super decoders.
struct NestedDecodePaths: Decodable, Equatable {
    enum K: String, CodingKey { case a, b, c, d }
    var all: [PathProbe]
    var paths: [String]
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: K.self)
        all = [try c.decode(PathProbe.self, forKey: .a)]
        let n = try c.nestedContainer(keyedBy: K.self, forKey: .b)
        all.append(try n.decode(PathProbe.self, forKey: .c))
        paths = [n.codingPath.map(\.stringValue).joined(separator: "/")]
        var u = try c.nestedUnkeyedContainer(forKey: .c)
        all.append(try u.decode(PathProbe.self))
        var uu = try u.nestedUnkeyedContainer()
        paths.append(uu.codingPath.map(\.stringValue).joined(separator: "/"))
        all.append(try uu.decode(PathProbe.self))
        let un = try u.nestedContainer(keyedBy: K.self)
        all.append(try un.decode(PathProbe.self, forKey: .a))
        let s = try c.superDecoder(forKey: .d)
        paths.append(s.codingPath.map(\.stringValue).joined(separator: "/"))
        all.append(try PathProbe(from: s))
        all.append(try PathProbe(from: try u.superDecoder()))
    }
}

/// Writes its encoder's coding path (Foundation's leaves out the keys of nested containers).
struct PathRecorder: Encodable {
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(encoder.codingPath.map(\.stringValue).joined(separator: "/") + "|" + c.codingPath.map(\.stringValue).joined(separator: "/"))
    }
}
/// Encodes path recorders through nested containers.
struct NestedPaths: Encodable {
    enum K: String, CodingKey { case a, b, c, d }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: K.self)
        try c.encode(PathRecorder(), forKey: .a)
        var n = c.nestedContainer(keyedBy: K.self, forKey: .b)
        try n.encode(PathRecorder(), forKey: .c)
        try n.encode(n.codingPath.map(\.stringValue).joined(separator: "/"), forKey: .d)
        var u = c.nestedUnkeyedContainer(forKey: .c)
        try u.encode(PathRecorder())
        var uu = u.nestedUnkeyedContainer()
        try uu.encode(PathRecorder())
        try uu.encode(uu.codingPath.map(\.stringValue).joined(separator: "/"))
        var un = u.nestedContainer(keyedBy: K.self)
        try un.encode(PathRecorder(), forKey: .a)
        try c.encode([["x": PathRecorder()]], forKey: .d)
    }
}
