import Foundation
import Testing

@testable import Messaging

@Suite struct RPCReplyTests {
    struct Host: Codable, Equatable { var name: String; var free_ram_mb: Int }

    @Test func resultReplyRoundTrips() throws {
        let body = RPCReply.encode(msgID: "m1", resultJSON: #"{"name": "h1", "free_ram_mb": 2048}"#, failureJSON: nil)
        let reply = try RPCReply.decode(body: body)
        #expect(reply.msgID == "m1")
        #expect(reply.ending)
        #expect(reply.failure == nil)
        #expect(reply.hasResult)
        #expect(!reply.isHeartbeat)
        #expect(try reply.result(Host.self) == Host(name: "h1", free_ram_mb: 2048))
    }

    @Test func replyIsAnEnvelopedOsloReply() throws {
        let body = RPCReply.encode(msgID: "m1", resultJSON: "[1, 2]", failureJSON: nil)
        let envelope = try jsonObject(body)
        #expect(envelope["oslo.version"] == "2.0")
        let o = try jsonObject(OsloEnvelope.unwrap(body))
        #expect(Set(o.keys) == ["result", "failure", "ending", "_msg_id", "_unique_id"])
        #expect(o["result"] == [1, 2])
        #expect(o["failure"] == .null)
        #expect(o["ending"] == true)
        let unique = try #require(o["_unique_id"]?.stringValue)
        #expect(unique.count == 32 && unique.allSatisfy(\.isHexDigit))
    }

    /// The reply written straight into its envelope is the text the message-then-wrap way
    /// gives (with the unique id taken from the reply itself).
    @Test(arguments: [
        ("m1", "\"x\"", nil, true), ("0123456789abcdef0123456789abcdef", nil, nil, false),
        ("m\"q\\\n", #"{"a": "b\\\"c\n", "d": [1, 2.5]}"#, nil, true),
        ("m3", nil, #"{"class": "KeyError", "message": "no \"x\"\nline", "tb": ["a"]}"#, true),
    ] as [(String, String?, String?, Bool)])
    func directEnvelopeMatchesWrappingTheMessage(msgID: String, result: String?, failure: String?, ending: Bool) throws {
        let body = RPCReply.encode(msgID: msgID, resultJSON: result, failureJSON: failure, ending: ending)
        let unique = try #require(try jsonObject(OsloEnvelope.unwrap(body))["_unique_id"]?.stringValue)
        var text = "{\"result\": " + (result ?? "null") + ", \"failure\": " + (failure.map(JSONText.quoted) ?? "null")
        text += ", \"ending\": " + (ending ? "true" : "false") + ", \"_msg_id\": " + JSONText.quoted(msgID)
        text += ", \"_unique_id\": \"\(unique)\"}"
        #expect(body == OsloEnvelope.wrap(text))
        let reply = try RPCReply.decode(body: body)
        #expect(reply.msgID == msgID && reply.failure == failure && reply.ending == ending)
    }

    @Test func everyReplyHasItsOwnUniqueID() throws {
        let a = try jsonObject(OsloEnvelope.unwrap(RPCReply.encode(msgID: "m", resultJSON: nil, failureJSON: nil)))
        let b = try jsonObject(OsloEnvelope.unwrap(RPCReply.encode(msgID: "m", resultJSON: nil, failureJSON: nil)))
        #expect(a["_unique_id"] != b["_unique_id"])
    }

    @Test(arguments: ["5", "\"pong\"", "true", "[]", "{}", "2.5"])
    func scalarAndEmptyResultsCountAsResults(resultJSON: String) throws {
        let reply = try RPCReply.decode(body: RPCReply.encode(msgID: "m", resultJSON: resultJSON, failureJSON: nil))
        #expect(reply.hasResult)
        #expect(try reply.result(JSONValue.self) == JSONValue.parse(Data(resultJSON.utf8)))
    }

    @Test func failureReplyCarriesTheFailureText() throws {
        let error = RemoteError(className: "NoValidHost", module: "nova.exception", message: "No valid host \"was\" found.\nReally.")
        let body = RPCReply.encode(msgID: "m2", resultJSON: nil, failureJSON: error.failureJSON)
        let reply = try RPCReply.decode(body: body)
        #expect(reply.failure == error.failureJSON)
        #expect(!reply.hasResult)
        #expect(reply.ending)
        #expect(!reply.isHeartbeat)
        #expect(RemoteError(failureJSON: try #require(reply.failure)) == error)
        // On the wire `failure` is a JSON *string*, as oslo's serialize_remote_exception writes it.
        #expect(try jsonObject(OsloEnvelope.unwrap(body))["failure"]?.stringValue == error.failureJSON)
    }

    @Test func heartbeatIsNotEndingWithNeitherResultNorFailure() throws {
        let reply = try RPCReply.decode(body: RPCReply.encode(msgID: "m3", resultJSON: nil, failureJSON: nil, ending: false))
        #expect(reply.isHeartbeat)
        #expect(!reply.ending)
        #expect(!reply.hasResult)
        #expect(reply.failure == nil)
        #expect(reply.msgID == "m3")
    }

    @Test func nullResultThatEndsIsNotAHeartbeat() throws {
        let reply = try RPCReply.decode(body: RPCReply.encode(msgID: "m", resultJSON: nil, failureJSON: nil))
        #expect(!reply.isHeartbeat)
        #expect(!reply.hasResult)
        #expect(try reply.result(Int?.self) == nil)
        #expect(try reply.result(JSONValue.self) == .null)
    }

    @Test func notEndingReplyWithAResultIsNotAHeartbeat() throws {
        // The legacy two-message form: payload first (no `ending`), then an ending marker.
        let reply = try RPCReply.decode(body: pythonEnvelope(#"{"result": 5, "failure": null, "_msg_id": "m"}"#))
        #expect(!reply.ending)
        #expect(reply.hasResult)
        #expect(!reply.isHeartbeat)
        #expect(try reply.result(Int.self) == 5)
    }

    @Test func decodesAPythonOsloReply() throws {
        let text = #"{"result": {"name": "h\u00e9", "free_ram_mb": 512}, "failure": null, "ending": true, "_msg_id": "9f8e", "_unique_id": "a1b2"}"#
        let reply = try RPCReply.decode(body: pythonEnvelope(text))
        #expect(reply.msgID == "9f8e")
        #expect(try reply.result(Host.self) == Host(name: "hé", free_ram_mb: 512))
    }

    @Test func resultOfTheWrongTypeThrows() throws {
        let reply = try RPCReply.decode(body: RPCReply.encode(msgID: "m", resultJSON: #""text""#, failureJSON: nil))
        #expect(throws: DecodingError.self) { try reply.result(Int.self) }
        #expect(throws: DecodingError.self) { try reply.result(Host.self) }
    }

    @Test func msgIDWithSpecialCharactersIsEscaped() throws {
        let reply = try RPCReply.decode(body: RPCReply.encode(msgID: "m\"1\\", resultJSON: nil, failureJSON: nil))
        #expect(reply.msgID == "m\"1\\")
    }

    @Test(arguments: [
        #"{"result": 1, "failure": {"class": "X"}, "ending": true}"#,
        #"{"result": 1, "ending": "yes"}"#,
        #"{"result": 1, "_msg_id": 5}"#,
        #"[1]"#,
    ])
    func malformedRepliesThrowWireError(text: String) {
        #expect(throws: WireError.self) { try RPCReply.decode(body: pythonEnvelope(text)) }
    }

    @Test func unsupportedEnvelopeIsReported() {
        #expect(throws: WireError.unsupportedEnvelope("3.0")) {
            try RPCReply.decode(body: Data(#"{"oslo.version": "3.0", "oslo.message": "{}"}"#.utf8))
        }
    }
}
