import Foundation
@testable import Messaging
import Testing

/// The lean coders must give exactly what Foundation's coders give (member order aside when
/// encoding), take the lean path for the common shapes, and leave the rest to Foundation.
@Suite("Wire JSON coders")
struct WireJSONTests {
    static let everything = #"""
        {"power": "paused", "level": 2,
         "events": [{"started": {"host": "h1", "at": 7}}, {"stopped": {}}, {"failed": {"_0": "disk", "code": null}},
                    {"failed": {"_0": "net", "code": 3}}],
         "maybe": [1, null, 3], "matrix": [[], [1], [2, 3]], "flags": ["a", "b"],
         "byID": {"1": "one", "20": "twenty", "-3": "minus"}, "byName": {"x": [1.5, -0.25, 1e-3, 2], "y": []},
         "tree": {"name": "root", "children": [{"name": "leaf", "children": []}]},
         "small": -128, "u16": 65535, "big": 18446744073709551615, "neg": -9223372036854775808,
         "f": 3.25, "d": -1.5e300, "nestedOptional": {"k": null, "v": "w"}, "ignored": {"deep": [[{"x": [1, "2"]}]]}}
        """#

    @Test("common shapes decode on the lean path as JSONDecoder decodes them")
    func commonShapes() {
        expectSameDecoding(EchoArgs.self, #"{"value":"x"}"#)
        expectSameDecoding(EchoArgs.self, " \n{ \"value\" : \"a \\\"q\\\" \\\\ \\/ \\u00e9 \\ud83d\\ude00 \\b\\f\\n\\r\\t\" , \"extra\": 1 } \t")
        expectSameDecoding(EchoArgs.self, #"{"value":"é 😀 \u0000 ü"}"#)
        expectSameDecoding(
            Flavor.self,
            #"{"id":"1","name":"m1.tiny","vcpus":1,"memory_mb":512,"ratio":1.5,"disabled":false,"tags":["a/b",""],"extra_specs":{"hw:cpu":"2"}}"#)
        expectSameDecoding(Flavor.self, #"{"extra_specs":{},"tags":[],"disabled":true,"memory_mb":-1,"vcpus":0,"name":"","id":"x"}"#)
        expectSameDecoding(Flavor.self, #"{"id":"1","name":"n","vcpus":1,"memory_mb":2,"ratio":null,"disabled":true,"tags":[],"extra_specs":{}}"#)
        expectSameDecoding(Everything.self, Self.everything)
        expectSameDecoding([Tree].self, #"[{"name":"a","children":[{"name":"b","children":[{"name":"c","children":[]}]}]}]"#)
        expectSameDecoding([String: [Int?]].self, #"{"a":[1,null],"b":[],"":[null]}"#)
        expectSameDecoding(Set<Int>.self, "[3,1,2]")
        expectSameDecoding([Power].self, #"["on","off"]"#)
        expectSameDecoding(Int?.self, "null")
        expectSameDecoding(String?.self, #""x""#)
        expectSameDecoding([Int??].self, "[1,null]")
        expectSameDecoding(Bool.self, "true")
        expectSameDecoding(Int8.self, "-128")
        expectSameDecoding(UInt64.self, "18446744073709551615")
        expectSameDecoding(Int64.self, "-9223372036854775808")
        expectSameDecoding(Double.self, "2")
        expectSameDecoding(Float.self, "0.1")
        expectSameDecoding([String: Int].self, "{}")
        expectSameDecoding([Int].self, "[]")
    }

    @Test("every container call reads what JSONDecoder reads, coding paths included")
    func containerCalls() {
        let probe = #"""
            {"a": 1, "b": null, "c": 3, "list": [1, null, 2], "optionals": ["x", null], "s": "sup", "n": {"v": 9}}
            """#
        expectSameDecoding(Probe.self, probe)
        expectSameDecoding(Probe.self, #"{"a":1,"b":null,"list":[],"optionals":[],"s":"","n":{"v":0},"super":"x"}"#)
        expectSameDecoding(PathHolder.self, #"{"a":[{"x":null},{"y":1,"z":[]}],"b":{}}"#)
        expectSameDecoding([String: NestedDecodePaths].self, #"{"top":{"a":1,"b":{"c":2},"c":[3,[4],{"a":5},6],"d":7}}"#)
    }

    static let rejected: [String] = [
        #"{"value":1}"#, #"{"value":null}"#, "{}", #"["x"]"#, #""x""#, "null", #"{"value":"x""#, #"{"value":"x"} x"#,
        #"{"value":"\x"}"#, #"{"value":"\ud800"}"#, "{\"value\":\"a\u{01}\"}", "", " ", #"{"value":'x'}"#, #"{value:"x"}"#,
    ]

    @Test("inputs JSONDecoder rejects: WireJSON throws its very error", arguments: rejected)
    func rejects(_ text: String) {
        expectSameDecoding(EchoArgs.self, text)
    }

    @Test("type mismatches: each scalar only from its own JSON kind")
    func typeMismatches() {
        expectSameDecoding(Bool.self, "1")
        expectSameDecoding(Bool.self, #""true""#)
        expectSameDecoding(String.self, "1")
        expectSameDecoding(String.self, "true")
        expectSameDecoding(Int.self, "true")
        expectSameDecoding(Int.self, #""1""#)
        expectSameDecoding(Double.self, #""1.5""#)
        expectSameDecoding(Int.self, "null")
        expectSameDecoding([Int].self, #"{"a":1}"#)
        expectSameDecoding([String: Int].self, "[1]")
        expectSameDecoding(Power.self, #""sleeping""#)
        expectSameDecoding(Level.self, "3")
        expectSameDecoding([Int].self, "[1,null]")
    }

    @Test("JSONDecoder accepts a trailing comma in an object; the lean decoder leaves it to it")
    func trailingComma() throws {
        expectSameDecoding(EchoArgs.self, #"{"value":"x",}"#, leanMust: false)
        #expect(try WireJSON.decode(EchoArgs.self, from: Data(#"{"value":"x",}"#.utf8)) == EchoArgs(value: "x"))
    }

    @Test("integers: plain tokens on the lean path, the rest left to JSONDecoder")
    func integers() throws {
        for text in ["0", "-1", "42", "9223372036854775807", "-9223372036854775808"] { expectSameDecoding(Int.self, text) }
        for text in ["2.0", "1e3", "-0", "1E2", "0.5", "9223372036854775808", "-9223372036854775809", "1e400", "00", "01", "-"] {
            expectSameDecoding(Int.self, text, leanMust: false)
            #expect(throws: WireJSONFallback.self) { try leanDecode(Int.self, Data(text.utf8)) }
        }
        expectSameDecoding(UInt8.self, "256", leanMust: false)
        expectSameDecoding(UInt.self, "-1", leanMust: false)
        expectSameDecoding(Int8.self, "-129", leanMust: false)
        #expect(try WireJSON.decode(Int.self, from: Data("2.0".utf8)) == 2)
    }

    @Test("floating point: the same bits as JSONDecoder for random tokens")
    func floatingPoint() throws {
        var rng = SplitMix64(seed: 42)
        var leanCount = 0
        func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) }) }
        var tokens = ["0", "-0", "0.0", "-0.0", "0e5", "1e-400", "1e400", "4e-320", "2.2250738585072014e-308", "1.7976931348623157e308",
                      "1.7976931348623159e308", "0.1", "3.4028235e38", "3.4028236e38", "1e-45", "1e-50", "123456789012345678901234567890"]
        for _ in 0..<3000 {
            var t = Bool.random(using: &rng) ? "-" : ""
            t += String(Int.random(in: 1...9, using: &rng)) + digits(Int.random(in: 0...20, using: &rng))
            if Bool.random(using: &rng) { t += "." + digits(Int.random(in: 1...20, using: &rng)) }
            if Bool.random(using: &rng) { t += "e" + String(Int.random(in: -330...330, using: &rng)) }
            tokens.append(t)
            tokens.append("\(Double(bitPattern: rng.next()))")
            tokens.append("\(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())))")
        }
        for t in tokens {
            let data = Data(t.utf8)
            if let reference = try? JSONDecoder().decode(Double.self, from: data) {
                let viaEntry = try WireJSON.decode(Double.self, from: data)
                #expect(viaEntry.bitPattern == reference.bitPattern, "Double \(t)")
                if let lean = try? leanDecode(Double.self, data) {
                    #expect(lean.bitPattern == reference.bitPattern, "Double \(t)")
                    leanCount += 1
                }
            } else {
                #expect((try? leanDecode(Double.self, data)) == nil, "Double \(t)")
            }
            if let reference = try? JSONDecoder().decode(Float.self, from: data) {
                #expect(try WireJSON.decode(Float.self, from: data).bitPattern == reference.bitPattern, "Float \(t)")
                if let lean = try? leanDecode(Float.self, data) { #expect(lean.bitPattern == reference.bitPattern, "Float \(t)") }
            } else {
                #expect((try? leanDecode(Float.self, data)) == nil, "Float \(t)")
            }
        }
        #expect(leanCount > tokens.count * 3 / 4)
    }

    @Test("left to JSONDecoder: special types, duplicates, odd keys, deep nesting")
    func fallbacks() throws {
        struct Stamped: Codable, Equatable { var at: Date; var blob: Data; var link: URL; var amount: Decimal }
        let stamped = #"{"at": 12.5, "blob": "AQI=", "link": "https://x/y", "amount": 3.14}"#
        expectSameDecoding(Stamped.self, stamped, leanMust: false)
        #expect(throws: WireJSONFallback.self) { try leanDecode(Stamped.self, Data(stamped.utf8)) }
        for special in [#"[1]"#] { expectSameDecoding([Decimal].self, special, leanMust: false) }
        expectSameDecoding(Date.self, "0", leanMust: false)
        expectSameDecoding(Data.self, #""AQI=""#, leanMust: false)
        expectSameDecoding(URL?.self, #""https://example.com""#, leanMust: false)
        expectSameDecoding(Int128.self, "1", leanMust: false)

        let duplicates = [#"{"value":"a","value":"b"}"#, #"{"x":1,"value":"a","x":2}"#]
        for text in duplicates {
            expectSameDecoding(EchoArgs.self, text, leanMust: false)
            #expect(throws: WireJSONFallback.self) { try leanDecode(EchoArgs.self, Data(text.utf8)) }
        }
        #expect(try WireJSON.decode([String: Int].self, from: Data(#"{"a":1,"a":2}"#.utf8)) == ["a": 1])
        let many = "{" + (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"k7\":0}"
        expectSameDecoding([String: Int].self, many, leanMust: false)
        #expect(throws: WireJSONFallback.self) { try leanDecode([String: Int].self, Data(many.utf8)) }

        // Keys Foundation compares as Swift Strings: escaped, non-ASCII, canonically equal.
        struct K: Decodable, Equatable { var K: Int? }
        for text in [#"{"\u0076alue":"x"}"#, "{\"\u{212A}\":1}", "{\"K\":1,\"\u{212A}\":2}", #"{"é":1}"#] {
            expectSameDecoding(K.self, text, leanMust: false)
            expectSameDecoding([String: Int].self, text, leanMust: false)
        }
        expectSameDecoding([Int: Int].self, #"{"01":1,"1":2}"#, leanMust: false)

        // Nesting past the lean limit (128) but within Foundation's (512).
        let deep = String(repeating: "[", count: 150) + String(repeating: "]", count: 150)
        #expect(throws: WireJSONFallback.self) { try leanDecode(JSONValue.self, Data(deep.utf8)) }
        #expect(try WireJSON.decode(JSONValue.self, from: Data(deep.utf8)) == JSONDecoder().decode(JSONValue.self, from: Data(deep.utf8)))
    }

    @Test("a type that catches the lean decoder's error gets Foundation's value")
    func caughtErrors() throws {
        // JSONValue tries String, Bool, Int64, … with try?: Foundation reads `2.0` as an Int64.
        let data = Data(#"{"a": 2.0, "b": [true, null, "s", 1]}"#.utf8)
        #expect(throws: WireJSONFallback.self) { try leanDecode(JSONValue.self, data) }
        #expect(try WireJSON.decode(JSONValue.self, from: data) == JSONDecoder().decode(JSONValue.self, from: data))
    }

    @Test("large objects: lookups in document order stay linear")
    func largeObjects() throws {
        let text = "{" + (0..<5000).map { "\"key\($0)\":{\"value\":\"v\($0)\"}" }.joined(separator: ",") + "}"
        expectSameDecoding([String: EchoArgs].self, text)
        let reversed = "{" + (0..<5000).reversed().map { "\"key\($0)\":\($0)" }.joined(separator: ",") + "}"
        expectSameDecoding([String: Int].self, reversed)
    }

    @Test("decodes from a range of a larger message")
    func ranges() throws {
        let data = Data(#"xx{"value":"in"}yy"#.utf8).dropFirst(1)  // a slice: offsets are from startIndex
        #expect(try WireJSON.decode(EchoArgs.self, from: data, at: 1..<15) == EchoArgs(value: "in"))
        #expect(throws: DecodingError.self) { try WireJSON.decode(EchoArgs.self, from: data, at: 1..<14) }
    }

    @Test("hostile input never crashes and reads as JSONDecoder reads it")
    func hostile() {
        var inputs: [Data] = [
            String(repeating: "[", count: 10_000), String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
            String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000),
            #""\u"#, #""\ud800"#, #""\ud800\u"#, #""\ud800\udbff""#, #""\udc00""#, #""\ud800x""#, #""\uzzzz""#, #""\"#,
            "1e999999", "-1e999999", "123456789012345678901234567890", "-", "--1", "1.", ".5", "+1", "0x10", "1e", "1e+",
            "tru", "nul", "nulll", "[1,]", "[,1]", "{,}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "[1 2]", "1 2", "\"a\" x",
            "\u{FEFF}{}", "[\"\u{7F}\"]", "NaN", "Infinity", "[1e-400]", "{\"a\":1}}", "]",
        ].map { Data($0.utf8) }
        inputs += [Data([0x22, 0xFF, 0x22]), Data([0x22, 0xC3, 0x22]), Data([0x22, 0xED, 0xA0, 0x80, 0x22]), Data([0x5B, 0x00, 0x5D]),
                   Data([0x00, 0x31]), Data([0x31, 0x00]), Data()]
        let valid = Data(Self.everything.utf8)
        for n in stride(from: 0, to: valid.count, by: 7) { inputs.append(valid.prefix(n)) }
        for input in inputs {
            expectSameDecoding(JSONValue.self, input, leanMust: false)
            expectSameDecoding(Everything.self, input, leanMust: false)
            expectSameDecoding([String].self, input, leanMust: false)
        }
    }

    // MARK: Encoding

    @Test("strings are escaped byte for byte as JSONEncoder escapes them")
    func stringEscapes() throws {
        var all = ""
        for b in 0..<0x80 { all.unicodeScalars.append(Unicode.Scalar(UInt8(b))) }
        let strings = [all, "", "plain", "a \"q\" \\ / // </script>", "é ü 😀 \u{2028}\u{2029} \u{FEFF} e\u{301}", "\u{0}\u{1F}\u{7F}"]
        for s in strings {
            try expectSameEncoding(s, exact: true)
            try expectSameEncoding([s, s], exact: true)
            try expectSameEncoding(EchoArgs(value: s), exact: true)
            try expectSameEncoding([s: 1], exact: true)
        }
    }

    @Test("scalars and arrays are byte for byte JSONEncoder's")
    func scalars() throws {
        try expectSameEncoding(true, exact: true)
        try expectSameEncoding(Int?.none, exact: true)
        try expectSameEncoding([Int64.min, Int64.max, 0, -1], exact: true)
        try expectSameEncoding(UInt64.max, exact: true)
        try expectSameEncoding([Int8.min], exact: true)
        try expectSameEncoding(Int.min, exact: true)
        try expectSameEncoding([UInt8.max], exact: true)
        try expectSameEncoding([Int?.none, 1], exact: true)
        try expectSameEncoding([[Int]](), exact: true)
        try expectSameEncoding([String: Int](), exact: true)
        try expectSameEncoding(Set(["a", "b", "c"]), exact: true)
        try expectSameEncoding([Power.on, .paused], exact: true)
        try expectSameEncoding([Level.low], exact: true)
        struct Empty: Codable {}
        try expectSameEncoding(Empty(), exact: true)
        try expectSameEncoding([Empty()], exact: true)
    }

    @Test("floating point is written as JSONEncoder writes it")
    func floatEncoding() throws {
        var doubles: [Double] = [2, -0.0, 0, 0.1, 1e16, 1e15, 123456789012345680, 1e-5, 1e-4, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                 -.greatestFiniteMagnitude, .leastNormalMagnitude, 3.14, -2.5, 100, 1e21, 0.30000000000000004]
        var floats: [Float] = [2, 0.1, 1e10, .greatestFiniteMagnitude, 1e-7, 16777216, -0.0, .leastNonzeroMagnitude]
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let d = Double(bitPattern: rng.next())
            if d.isFinite { doubles.append(d) }
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            if f.isFinite { floats.append(f) }
            doubles.append(Double(Int32(truncatingIfNeeded: rng.next())) / 8)
        }
        for d in doubles { try expectSameEncoding(d, exact: true) }
        for f in floats { try expectSameEncoding(f, exact: true) }
        try expectSameEncoding(doubles, exact: true)
        try expectSameEncoding(floats, exact: true)
        for bad in [Double.nan, .infinity, -.infinity] {
            expectEncodingFallback(bad)
            expectEncodingFallback(["k": bad])
        }
        expectEncodingFallback([Float.nan])
    }

    @Test("structs, enums, dictionaries: JSONEncoder's members, in encoding order")
    func structures() throws {
        let flavor = Flavor(
            id: "1", name: "m1/tiny", vcpus: 2, memoryMB: 512, ratio: nil, disabled: false, tags: ["a", "b\n"],
            extraSpecs: ["hw:cpu": "2", "x": ""])
        try expectSameEncoding(flavor)
        // Synthesized encode(to:) goes in CodingKeys order; Foundation's order varies by process.
        #expect(try leanEncode(flavor).hasPrefix(#"{"id":"1","name":"m1\/tiny","vcpus":2,"disabled":false,"tags":["a","b\n"],"memory_mb":512,"#))
        let value = try JSONDecoder().decode(Everything.self, from: Data(Self.everything.utf8))
        try expectSameEncoding(value)
        try expectSameEncoding([value, value])
        try expectSameEncoding([Event.stopped, .failed("x", code: nil), .started(host: "h", at: -1)])
        try expectSameEncoding([1: "a", 20: "b"])
        try expectSameEncoding(["a": ["b": ["c": [1, 2]]]])
        try expectSameEncoding(["k": String?.none, "v": "w"])
        try expectSameEncoding([Int??.some(nil), 1, nil])
        try expectSameEncoding(Tree(name: "r", children: [Tree(name: "c", children: [])]))
        try expectSameEncoding(JSONValue.object(["a": [1, 2.5, "x", nil, true, ["n": [:]]]]))
        let wide = Dictionary(uniqueKeysWithValues: (0..<300).map { ("key\($0)", $0) })
        try expectSameEncoding(wide)
    }

    /// Encodes through nested containers, and asks for its keyed container twice (as a
    /// subclass does after `super.encode(to:)`); Foundation merges the two.
    struct Layered: Encodable {
        enum A: String, CodingKey { case a, nested, list }
        enum B: String, CodingKey { case b }
        func encode(to encoder: any Encoder) throws {
            var first = encoder.container(keyedBy: A.self)
            try first.encode(1, forKey: .a)
            var nested = first.nestedContainer(keyedBy: B.self, forKey: .nested)
            try nested.encode("n", forKey: .b)
            var list = first.nestedUnkeyedContainer(forKey: .list)
            try list.encode(true)
            var inner = list.nestedContainer(keyedBy: B.self)
            try inner.encode(2.5, forKey: .b)
            var deeper = list.nestedUnkeyedContainer()
            try deeper.encodeNil()
            var second = encoder.container(keyedBy: B.self)
            try second.encode("later", forKey: .b)
        }
    }

    @Test("nested containers and a reopened container, with Foundation's coding paths")
    func nestedContainers() throws {
        try expectSameEncoding(["top": NestedPaths()])
        try expectSameEncoding([NestedPaths()])
        try expectSameEncoding(Layered())
        try expectSameEncoding(["x": Layered()])
        #expect(try leanEncode(Layered()) == #"{"a":1,"nested":{"b":"n"},"list":[true,{"b":2.5},[null]],"b":"later"}"#)
    }

    struct TwiceKeyed: Encodable {
        enum K: String, CodingKey { case a }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(1, forKey: .a)
            try c.encode(2, forKey: .a)
        }
    }

    struct Nothing: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    struct UsesSuper: Encodable {
        enum K: String, CodingKey { case a }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(1, forKey: .a)
            try "s".encode(to: c.superEncoder())
        }
    }

    /// Writes to a nested container after its parent moved on.
    struct LateWrite: Encodable {
        enum K: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            var n = c.nestedUnkeyedContainer(forKey: .a)
            try c.encode(1, forKey: .b)
            try n.encode(2)
        }
    }

    struct Catches: Encodable {
        func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            try? c.encode(Double.nan)
            try c.encode(1)
        }
    }

    indirect enum Chain: Encodable {
        case end
        case link(Chain)
        func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            if case .link(let next) = self { try c.encode(next) }
        }
    }

    @Test("left to JSONEncoder: special types, repeated keys, empty values, superEncoder, misuse")
    func encodingFallbacks() throws {
        expectEncodingFallback(Date(timeIntervalSince1970: 5))
        expectEncodingFallback(["d": Data([1, 2])])
        expectEncodingFallback([URL(string: "https://x/y")!])
        expectEncodingFallback(Decimal(string: "3.14")!)
        expectEncodingFallback(Int128(5))
        expectEncodingFallback(TwiceKeyed())
        expectEncodingFallback(Nothing())
        expectEncodingFallback(["k": Nothing()])
        expectEncodingFallback(UsesSuper())
        expectEncodingFallback(LateWrite())
        expectEncodingFallback(Catches())
        var chain = Chain.end
        for _ in 0..<200 { chain = .link(chain) }
        expectEncodingFallback(chain)
    }

    @Test("WireJSON round-trips the lean encoder's output")
    func roundTrip() throws {
        let value = try JSONDecoder().decode(Everything.self, from: Data(Self.everything.utf8))
        let text = try WireJSON.encode(value)
        #expect(try leanDecode(Everything.self, Data(text.utf8)) == value)
        #expect(try WireJSON.encode(ResultBoxProbe(result: "x")) == #""x""#)
    }

    struct ResultBoxProbe<R: Encodable>: Encodable {
        let result: R
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(result)
        }
    }
}
