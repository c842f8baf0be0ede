import Foundation
import Testing

@testable import Messaging

/// The fast envelope path must agree with the full JSON decoder, and step aside (nil) for
/// anything it does not recognise.
@Suite struct EnvelopeScannerTests {
    /// What Foundation's JSONDecoder makes of the envelope's `oslo.message`.
    static func slowPath(_ body: Data) -> Data? {
        guard let o = try? JSONDecoder().decode([String: JSONValue].self, from: body),
            let m = o["oslo.message"]?.stringValue
        else { return nil }
        return Data(m.utf8)
    }

    @Test(arguments: [
        #"{"oslo.version": "2.0", "oslo.message": "{\"method\": \"ping\"}"}"#,
        #"{"oslo.message": "{}", "oslo.version": "2.0"}"#,
        "{\n  \"oslo.version\" : \"2.0\" ,\n\t\"oslo.message\":\"x\"\r\n}\n",
        #"{"oslo.version": "2.0", "oslo.message": "a\/b \"q\" \\ \n\r\t\b\f"}"#,
        #"{"oslo.version": "2.0", "oslo.message": "caf\u00e9 \u2601 \uD83C\uDF29 \u0000 \u001F \u00E9"}"#,
        #"{"oslo.version": "2.0", "oslo.message": "raw é 雲 🌩"}"#,
        #"{"oslo.version": "2.0", "oslo.message": ""}"#,
    ])
    func fastPathAgreesWithTheJSONDecoder(text: String) throws {
        let body = Data(text.utf8)
        let fast = try #require(EnvelopeScanner.message(in: body), "the fast path should recognise this envelope")
        #expect(fast == Self.slowPath(body))
        #expect(try OsloEnvelope.unwrap(body) == fast)
    }

    @Test func fastPathReadsWhatWrapWrites() {
        let message = "{\"text\": \"quote \\\" nl \\n\"}\u{1}\u{1F}\n\t\"\\ é 雲 🌩"
        #expect(EnvelopeScanner.message(in: OsloEnvelope.wrap(message)) == Data(message.utf8))
    }

    @Test(arguments: [
        #"{"method": "ping", "args": {}}"#,  // legacy body
        #"{"oslo.version": "2.0"}"#,  // one key
        #"{"oslo.version": "2.0", "oslo.message": "{}", "extra": 1}"#,  // three keys
        #"{"oslo.version": "2.0", "oslo.message": {"method": "m"}}"#,  // message not a string
        #"{"oslo.version": "2.0", "oslo.message": "{}"} trailing"#,  // trailing garbage
        #"{"oslo.version": "2.0", "oslo.message": "\uD83C"}"#,  // lone high surrogate
        #"{"oslo.version": "2.0", "oslo.message": "\uDF29"}"#,  // lone low surrogate
        #"{"oslo.version": "2.0", "oslo.message": "\x"}"#,  // bad escape
        #"{"oslo.version": "2.0", "oslo.message": "\u12"}"#,  // short \u escape
        #"{"oslo.version": "2.0", "oslo.message": "unterminated}"#,
        #"{"oslo.version": "3.0", "oslo.message": "{}"}"#,
        #"{"oslo.version": "2.0", "oslo.version": "2.0"}"#,
        "{\"oslo.version\": \"2.0\", \"oslo.message\": \"raw\u{1}control\"}",
        "",
        "[]",
    ])
    func unusualBodiesAreLeftToTheSlowPath(text: String) {
        #expect(EnvelopeScanner.message(in: Data(text.utf8)) == nil)
    }

    @Test func unwrapStillHandlesWhatTheFastPathRefuses() throws {
        let legacy = Data(#"{"method": "ping"}"#.utf8)
        #expect(try OsloEnvelope.unwrap(legacy) == legacy)
        #expect(throws: WireError.unsupportedEnvelope("3.0")) {
            try OsloEnvelope.unwrap(Data(#"{"oslo.version": "3.0", "oslo.message": "{}"}"#.utf8))
        }
        #expect(throws: WireError.self) {
            try OsloEnvelope.unwrap(Data(#"{"oslo.version": "2.0", "oslo.message": "{}"} trailing"#.utf8))
        }
    }
}

@Suite struct FastIDTests {
    @Test func hex32IsA32DigitLowercaseVersion4UUID() throws {
        for _ in 0..<200 {
            let id = FastID.hex32()
            #expect(id.count == 32)
            #expect(id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            let chars = Array(id)
            #expect(chars[12] == "4", "version nibble")
            #expect("89ab".contains(chars[16]), "RFC 4122 variant")
        }
    }

    @Test func uuidStringIsAParseableVersion4UUID() throws {
        for _ in 0..<200 {
            let text = FastID.uuidString()
            let uuid = try #require(UUID(uuidString: text))
            #expect(uuid.uuidString.lowercased() == text)
            let chars = Array(text)
            #expect(chars.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { chars[$0] == "-" })
            #expect(chars[14] == "4")
            #expect("89ab".contains(chars[19]))
        }
    }

    @Test func idsAreUnique() {
        let ids = (0..<10_000).map { _ in FastID.hex32() }
        #expect(Set(ids).count == ids.count)
        let uuids = (0..<10_000).map { _ in FastID.uuidString() }
        #expect(Set(uuids).count == uuids.count)
    }

    @Test func everyHexDigitShowsUp() {
        let digits = Set((0..<200).flatMap { _ in FastID.hex32() })
        #expect(digits == Set("0123456789abcdef"))
    }
}
