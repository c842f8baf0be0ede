import Foundation
@testable import Messaging
import Testing

/// The one-pass reply scanner must read every reply exactly as the JSONDecoder path does,
/// results included, and step aside (nil) for anything it does not handle.
@Suite("Reply header scanner")
struct ReplyHeaderScannerTests {
    struct Payload: Codable, Equatable {
        var value: String
        var items: [Int]?
    }

    static let readable: [String] = [
        #"{"result": {"value": "x", "items": [1, 2]}, "failure": null, "ending": true, "_msg_id": "m1", "_unique_id": "u1"}"#,
        #"{"_msg_id":"m2","ending":false,"result":{"value":"a \"q\" \\ \u00e9 \ud83d\ude00"},"failure":null}"#,
        #"{"result": null, "failure": "{\"class\": \"KeyError\", \"message\": \"x\"}", "ending": true, "_msg_id": "m3"}"#,
        #"{"result": null, "failure": null, "ending": false, "_msg_id": "m4"}"#,
        #"{"failure": null, "ending": null, "_msg_id": null, "extra": {"deep": [[[]]], "s": "}"}}"#,
        #"{}"#,
        " \n{ \"result\" : { \"value\" : \"spaced\" } , \"ending\" : true } \n",
        #"{"ending": true, "extra": 1, "extra": [2], "_msg_id": "m5"}"#,  // skipped keys: duplicates change nothing
    ]

    @Test("reads what JSONDecoder reads", arguments: readable)
    func sameAsJSONDecoder(_ text: String) throws {
        let message = Data(text.utf8)
        #expect(ReplyHeaderScanner.scan(message) != nil, "the scanner should read \(text)")
        var viaScanner = try RPCReply.decode(body: message)
        let reference = try RPCReply.decodeWithJSONDecoder(message: message)
        #expect(viaScanner.msgID == reference.msgID)
        #expect(viaScanner.ending == reference.ending)
        #expect(viaScanner.failure == reference.failure)
        #expect(viaScanner.hasResult == reference.hasResult)
        #expect(viaScanner.isHeartbeat == reference.isHeartbeat)
        if reference.hasResult {
            #expect(viaScanner.resultRange != nil)
            #expect(try viaScanner.result(Payload.self) == reference.result(Payload.self))
            viaScanner.resultRange = nil
            #expect(try viaScanner.result(Payload.self) == reference.result(Payload.self))
        }
    }

    @Test("results that are not objects decode from their bytes alone")
    func fragments() throws {
        func reply(_ result: String) throws -> RPCReply {
            try RPCReply.decode(body: RPCReply.encode(msgID: "m", resultJSON: result, failureJSON: nil))
        }
        #expect(try reply(#""pong""#).result(String.self) == "pong")
        #expect(try reply("42").result(Int.self) == 42)
        #expect(try reply("true").result(Bool.self) == true)
        #expect(try reply("[1, 2]").result([Int].self) == [1, 2])
        #expect(try reply("null").result(String?.self) == nil)
        #expect(throws: (any Error).self) { try reply("null").result(String.self) }
        #expect(throws: (any Error).self) { try reply(#""x""#).result(Int.self) }
    }

    static let declined: [String] = [
        #"{"_msg_id": "a", "_msg_id": "b"}"#,  // duplicate key
        #"{"_msg_\u0069d": "a"}"#,  // an escaped key: the slow path reads it
        #"{"ending": "yes"}"#,  // wrong type: JSONDecoder names the error
        #"{"_msg_id": 7}"#,
        #"{"failure": {"class": "X"}}"#,
        #"{"result": tru}"#,
        #"{"result": 1"#,  // truncated
        #"{"result": 1} trailing"#,
        #"["result"]"#,
        "{\"_msg_id\": \"m\u{01}\"}",  // raw control character
    ]

    @Test("steps aside for what it does not read exactly", arguments: declined)
    func declines(_ text: String) {
        #expect(ReplyHeaderScanner.scan(Data(text.utf8)) == nil)
    }
}
