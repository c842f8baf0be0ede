import Foundation
@testable import Messaging
import Testing

/// The one-pass header scanner must read every request exactly as the JSONDecoder path does,
/// and step aside (nil) for anything it does not handle.
@Suite("Request header scanner")
struct RequestHeaderScannerTests {
    struct Args: Codable, Equatable {
        var value: String?
        var n: Int?
        var nested: [String: [Int]]?
    }

    static let readable: [String] = [
        #"{"method": "echo", "args": {"value": "x"}, "version": "1.2", "_msg_id": "m1", "_reply_q": "reply_1", "_unique_id": "u1", "_timeout": 30, "_context_request_id": "req-1", "_context_roles": ["admin", "member"], "_context_is_admin": true, "_context_user": null}"#,
        #"{"args":{"value":"a \"quoted\" \\ back\/slash \u00e9 \ud83d\ude00 tab\t"},"method":"echo"}"#,
        #"{"method": "echo"}"#,
        #"{"method": "echo", "args": null, "namespace": null, "version": null, "_timeout": null}"#,
        #"{"method": "echo", "args": {"n": -12, "nested": {"a": [1, 2, 3]}}, "_context_tenant": {"x": [1, {"y": false}]}, "_context_count": 7}"#,
        #"{"method": "echo", "args": {}, "unknown_key": {"deep": [[[]]], "s": "}"}, "_timeout": 1.5e1}"#,
        " \n{ \"method\" : \"echo\" , \"args\" : { \"value\" : \"spaced\" } } \n",
        #"{"method": "echo", "unknown": 1, "unknown": [2]}"#,  // skipped keys: duplicates change nothing
        #"{"method": "ech\u006f", "_context_": "empty name", "_context_user": "caf\u00e9"}"#,
    ]

    @Test("reads what JSONDecoder reads, arguments included", arguments: readable)
    func sameAsJSONDecoder(_ text: String) throws {
        let message = Data(text.utf8)
        let fast = try #require(RequestHeaderScanner.scan(message), "the scanner should read \(text)")
        var viaScanner = try IncomingRequest.decode(body: message)
        let reference = try IncomingRequest.decodeWithJSONDecoder(message: message)
        #expect(viaScanner.argumentsLocation != nil)
        #expect(fast.method == reference.method)
        #expect(viaScanner.version == reference.version)
        #expect(viaScanner.namespace == reference.namespace)
        var context = viaScanner.context
        if !text.contains("_context_request_id") { context.requestID = reference.context.requestID }  // made up when absent
        #expect(context == reference.context)
        #expect(viaScanner.uniqueID == reference.uniqueID)
        #expect(viaScanner.msgID == reference.msgID)
        #expect(viaScanner.replyQueue == reference.replyQueue)
        #expect(viaScanner.callMonitorTimeout == reference.callMonitorTimeout)
        #expect(try viaScanner.arguments(Args.self) == reference.arguments(Args.self))
        viaScanner.argumentsLocation = nil
        #expect(try viaScanner.arguments(Args.self) == reference.arguments(Args.self))
    }

    static let declined: [String] = [
        #"{"method": "echo", "method": "other"}"#,  // duplicate key
        #"{"method": "echo", "_context_user": "a", "_context_user": "b"}"#,  // JSONDecoder keeps the first
        #"{"meth\u006fd": "echo"}"#,  // an escaped key: the slow path reads it
        #"{"method": "echo", "_context_ratio": 2.0}"#,  // int or double is JSONDecoder's call
        #"{"method": "echo", "_context_n": 01}"#,  // invalid number
        #"{"args": {}}"#,  // no method: the slow path names the error
        #"{"method": ""}"#,
        #"{"method": "echo", "args": {"value": tru}}"#,
        #"{"method": "echo", "args": {"value": "x"}"#,  // truncated
        #"{"method": "echo"} trailing"#,
        #"{"method": 42}"#,
        #"["method"]"#,
        "{\"method\": \"e\u{01}cho\"}",  // raw control character
    ]

    @Test("declines what it does not handle exactly like JSONDecoder", arguments: declined)
    func declines(_ text: String) {
        #expect(RequestHeaderScanner.scan(Data(text.utf8)) == nil)
    }

    @Test("malformed requests still fail with the slow path's errors")
    func errorsUnchanged() {
        #expect(throws: WireError.malformed("request has no 'method'")) {
            try IncomingRequest.decode(body: Data(#"{"args": {}}"#.utf8))
        }
        #expect(throws: WireError.malformed("method name must be 1-255 bytes")) {
            try IncomingRequest.decode(body: Data(#"{"method": ""}"#.utf8))
        }
        #expect(throws: WireError.malformed("version 'x.y' is not like 1.3")) {
            try IncomingRequest.decode(body: Data(#"{"method": "echo", "version": "x.y"}"#.utf8))
        }
    }
}
