import Foundation
import Messaging

/// CPU cost of the oslo wire format alone (no broker, no threads): what one Cirrus call
/// spends encoding and decoding its request and reply, and `OutgoingRequest.newID()`.
enum CodecCost {
    struct EchoResult: Encodable { var result: String }

    static func run(count: Int) throws {
        let ctx = CirrusSide.context
        let replyQueue = "reply_" + OutgoingRequest.newID()
        func measure(_ name: String, _ body: () throws -> Void) rethrows {
            for _ in 0..<min(count, 1000) { try body() }
            let t0 = nowNanos()
            for _ in 0..<count { try body() }
            let us = Double(nowNanos() - t0) / Double(count) / 1000
            print(String(format: "codec %@: %.2f us", name, us))
            print("RESULT {\"kind\": \"codec-\(name)\", \"us\": \(us)}")
        }
        // Inputs produced once so each step is timed on its own.
        let args = try OutgoingRequest.encodeArguments(EchoArgs(value: "x"))
        let request = OsloEnvelope.wrap(OutgoingRequest.message(
            method: "echo", argsJSON: args, version: RPCVersion(1, 0), namespace: nil, context: ctx,
            uniqueID: OutgoingRequest.newID(), msgID: OutgoingRequest.newID(), replyQueue: replyQueue))
        let reply = RPCReply.encode(msgID: OutgoingRequest.newID(), resultJSON: "\"x\"", failureJSON: nil)

        try measure("client-encode-request") {
            let a = try OutgoingRequest.encodeArguments(EchoArgs(value: "x"))
            _ = OutgoingRequest.body(
                method: "echo", argsJSON: a, version: RPCVersion(1, 0), namespace: nil, context: ctx,
                uniqueID: "0123456789abcdef0123456789abcdef", msgID: "0123456789abcdef0123456789abcdef", replyQueue: replyQueue)
        }
        try measure("server-decode-request") {
            let r = try IncomingRequest.decode(body: request)
            _ = try r.arguments(EchoArgs.self)
        }
        try measure("server-encode-reply") {
            _ = RPCReply.encode(msgID: "0123456789abcdef0123456789abcdef", resultJSON: try WireJSON.encode("x"), failureJSON: nil)
        }
        try measure("client-decode-reply") {
            let r = try RPCReply.decode(body: reply)
            _ = try r.result(String.self)
        }
        measure("newID") { _ = OutgoingRequest.newID() }
        let inner = OutgoingRequest.message(
            method: "echo", argsJSON: args, version: RPCVersion(1, 0), namespace: nil, context: ctx,
            uniqueID: OutgoingRequest.newID(), msgID: OutgoingRequest.newID(), replyQueue: replyQueue)
        measure("wrap") { _ = OsloEnvelope.wrap(inner) }
        measure("JSONDecoder-init") { _ = JSONDecoder() }
        measure("appendQuoted-600B") {
            var out = ""
            out.reserveCapacity(700)
            JSONText.appendQuoted(String(decoding: request, as: UTF8.self), to: &out)
        }
    }
}
