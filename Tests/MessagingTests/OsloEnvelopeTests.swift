import Foundation
import Testing

@testable import Messaging

@Suite struct OsloEnvelopeTests {
    @Test func wrapWritesTheTwoOsloKeys() throws {
        let body = OsloEnvelope.wrap(#"{"method": "ping"}"#)
        let o = try jsonObject(body)
        #expect(Set(o.keys) == ["oslo.version", "oslo.message"])
        #expect(o["oslo.version"] == "2.0")
        #expect(o["oslo.message"] == .string(#"{"method": "ping"}"#))
        #expect(OsloEnvelope.version == "2.0")
    }

    @Test(arguments: [
        #"{"method": "say", "args": {"text": "plain"}}"#,
        "{\"args\": {\"text\": \"quote \\\" backslash \\\\ newline \\n tab \\t\"}}",
        "raw newline\nand tab\tand CR\r and quote \" and backslash \\ in the envelope string",
        "unicode: café 雲 🌩️ \u{2028}\u{2029} and controls \u{0}\u{1}\u{1F}\u{7F}",
        "",
    ])
    func wrapThenUnwrapReturnsTheSameBytes(message: String) throws {
        let inner = try OsloEnvelope.unwrap(OsloEnvelope.wrap(message))
        #expect(inner == Data(message.utf8))
    }

    @Test func unwrapReadsPythonEnsureAsciiEscapes() throws {
        // json.dumps(..., ensure_ascii=True) of a message holding "café ☁": escapes inside escapes.
        let body = Data(#"{"oslo.version": "2.0", "oslo.message": "{\"method\": \"caf\\u00e9 \\u2601\"}"}"#.utf8)
        let inner = try OsloEnvelope.unwrap(body)
        #expect(String(decoding: inner, as: UTF8.self) == #"{"method": "caf\u00e9 \u2601"}"#)
        #expect(try jsonObject(inner)["method"] == "café ☁")
    }

    @Test func unwrapAcceptsKeysInAnyOrderAndAMinor0() throws {
        let body = Data(#"{"oslo.message": "{}", "oslo.version": "2.0"}"#.utf8)
        #expect(try OsloEnvelope.unwrap(body) == Data("{}".utf8))
    }

    @Test(arguments: [
        #"{"method": "ping", "args": {}}"#,
        #"{"oslo.version": "2.0", "method": "only-version-key"}"#,
        #"{"oslo.message": "{}", "method": "only-message-key"}"#,
        #"{}"#,
    ])
    func legacyBodyWithoutBothKeysIsReturnedAsIs(text: String) throws {
        let body = Data(text.utf8)
        #expect(try OsloEnvelope.unwrap(body) == body)
    }

    @Test(arguments: ["3.0", "1.0", "x", "12.0"])
    func otherEnvelopeMajorsAreUnsupported(version: String) {
        let body = Data(#"{"oslo.version": "\#(version)", "oslo.message": "{}"}"#.utf8)
        #expect(throws: WireError.unsupportedEnvelope(version)) { try OsloEnvelope.unwrap(body) }
    }

    @Test(arguments: ["20.0", "21.5", "2x"])
    func majorsThatMerelyStartWithTwoAreUnsupported(version: String) {
        let body = Data(#"{"oslo.version": "\#(version)", "oslo.message": "{}"}"#.utf8)
        #expect(throws: WireError.unsupportedEnvelope(version)) { try OsloEnvelope.unwrap(body) }
    }

    @Test func newerMinorIsRejectedAsOsloDoes() {
        // oslo deserialize_msg: version_is_compatible("2.0", msg_version) → "2.1" is NOT compatible.
        let body = Data(#"{"oslo.version": "2.1", "oslo.message": "{}"}"#.utf8)
        #expect(throws: WireError.unsupportedEnvelope("2.1")) { try OsloEnvelope.unwrap(body) }
    }

    @Test(arguments: ["not json", "", "[1, 2]", "\"a string\"", "{\"truncated\": ", "null"])
    func notAJSONObjectIsMalformed(text: String) throws {
        let error = try #require(throws: WireError.self) { try OsloEnvelope.unwrap(Data(text.utf8)) }
        guard case .malformed(let why) = error else {
            Issue.record("expected .malformed, got \(error)")
            return
        }
        #expect(why.contains("not a JSON object"))
    }

    @Test func nonStringMessageIsMalformed() {
        let body = Data(#"{"oslo.version": "2.0", "oslo.message": {"method": "ping"}}"#.utf8)
        #expect(throws: WireError.self) { try OsloEnvelope.unwrap(body) }
    }

    @Test func wireErrorsDescribeThemselves() {
        #expect(WireError.malformed("why").description == "malformed message: why")
        #expect(WireError.unsupportedEnvelope("3.0").description.contains("3.0"))
        #expect(WireError.unsupportedEnvelope("3.0").description.contains("2.0"))
    }
}
