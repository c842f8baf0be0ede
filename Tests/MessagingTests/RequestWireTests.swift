import Foundation
import Testing

@testable import Messaging

/// `OutgoingRequest.message` (what Cirrus writes) and `IncomingRequest.decode` (what it reads).
@Suite struct RequestWireTests {
    static let context = RequestContext(
        requestID: "req-0b6c9a43-6f4e-4b0c-9f5b-1d2e3f405162", userID: "u-1", projectID: "p-1", roles: ["admin", "member"],
        isAdmin: true, extra: ["auth_token": "tok", "read_deleted": "no", "quota": ["cores": 4]])

    static let argsJSON = #"{"spec": {"vcpus": 2, "name": "vm \"one\""}, "uuids": ["a", "b"], "flag": true}"#

    private func callText(timeout: Double? = 30) -> String {
        OutgoingRequest.message(
            method: "select_destinations", argsJSON: Self.argsJSON, version: RPCVersion(4, 5), namespace: "compute_task",
            context: Self.context, uniqueID: "u1", msgID: "m1", replyQueue: "reply_abc", callMonitorTimeout: timeout)
    }

    @Test func newIDIsUUID4Hex() {
        let ids = (0..<100).map { _ in OutgoingRequest.newID() }
        for id in ids {
            #expect(id.count == 32)
            #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test func callMessageIsFlatOsloJSON() throws {
        let o = try jsonObject(callText())
        #expect(o["method"] == "select_destinations")
        #expect(o["version"] == "4.5")
        #expect(o["namespace"] == "compute_task")
        #expect(o["args"] == ["spec": ["vcpus": 2, "name": "vm \"one\""], "uuids": ["a", "b"], "flag": true])
        #expect(o["_context_request_id"] == .string(Self.context.requestID))
        #expect(o["_context_user_id"] == "u-1")
        #expect(o["_context_user"] == "u-1")
        #expect(o["_context_project_id"] == "p-1")
        #expect(o["_context_project"] == "p-1")
        #expect(o["_context_roles"] == ["admin", "member"])
        #expect(o["_context_is_admin"] == true)
        #expect(o["_context_global_request_id"] == .null)
        #expect(o["_context_auth_token"] == "tok")
        #expect(o["_context_quota"] == ["cores": 4])
        #expect(o["context"] == nil, "the context must be flattened, not nested")
        #expect(o["_unique_id"] == "u1")
        #expect(o["_msg_id"] == "m1")
        #expect(o["_reply_q"] == "reply_abc")
        #expect(o["_timeout"]?.doubleValue == 30)
    }

    @Test func callRoundTrips() throws {
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(callText()))
        #expect(request.method == "select_destinations")
        #expect(request.version == RPCVersion(4, 5))
        #expect(request.namespace == "compute_task")
        #expect(request.uniqueID == "u1")
        #expect(request.msgID == "m1")
        #expect(request.replyQueue == "reply_abc")
        #expect(request.callMonitorTimeout == 30)
        #expect(request.isCall)
        let ctx = request.context
        #expect(ctx.requestID == Self.context.requestID)
        #expect(ctx.userID == "u-1")
        #expect(ctx.projectID == "p-1")
        #expect(ctx.roles == ["admin", "member"])
        #expect(ctx.isAdmin)
        #expect(ctx.extra["auth_token"] == "tok")
        #expect(ctx.extra["read_deleted"] == "no")
        #expect(ctx.extra["quota"] == ["cores": 4])
        for flattened in ["request_id", "user_id", "user", "project_id", "project", "roles", "is_admin"] {
            #expect(ctx.extra[flattened] == nil, "\(flattened) belongs to a typed field, not extra")
        }
    }

    @Test func nullTimeoutIsACallWithoutCallMonitor() throws {
        let text = callText(timeout: nil)
        #expect(try jsonObject(text)["_timeout"] == .null)
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(text))
        #expect(request.callMonitorTimeout == nil)
        #expect(request.isCall)
    }

    @Test func fractionalTimeoutSurvives() throws {
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(callText(timeout: 0.25)))
        #expect(request.callMonitorTimeout == 0.25)
    }

    @Test func castHasNoReplyFields() throws {
        let text = OutgoingRequest.message(
            method: "build_and_run_instance", argsJSON: "{}", version: nil, namespace: nil, context: RequestContext(),
            uniqueID: "u2")
        let o = try jsonObject(text)
        for key in ["_msg_id", "_reply_q", "_timeout", "version", "namespace"] {
            #expect(o[key] == nil, "\(key) must be absent")
        }
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(text))
        #expect(!request.isCall)
        #expect(request.version == nil)
        #expect(request.namespace == nil)
        #expect(request.msgID == nil)
        #expect(request.replyQueue == nil)
        #expect(request.callMonitorTimeout == nil)
        #expect(request.uniqueID == "u2")
    }

    @Test func msgIDWithoutReplyQueueWritesNeither() throws {
        let text = OutgoingRequest.message(
            method: "m", argsJSON: "{}", version: nil, namespace: nil, context: RequestContext(), uniqueID: "u",
            msgID: "m1", replyQueue: nil, callMonitorTimeout: 5)
        let o = try jsonObject(text)
        #expect(o["_msg_id"] == nil && o["_reply_q"] == nil && o["_timeout"] == nil)
    }

    @Test(arguments: [("m1", nil, false), (nil, "reply_x", false), ("m1", "reply_x", true)] as [(String?, String?, Bool)])
    func isCallNeedsBothMsgIDAndReplyQueue(msgID: String?, replyQueue: String?, expected: Bool) throws {
        var o: [String: JSONValue] = ["method": "m"]
        if let msgID { o["_msg_id"] = .string(msgID) }
        if let replyQueue { o["_reply_q"] = .string(replyQueue) }
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(JSONValue.object(o).serialized()))
        #expect(request.isCall == expected)
    }

    @Test func methodAndNamespaceWithSpecialCharactersRoundTrip() throws {
        let text = OutgoingRequest.message(
            method: "we\"ird\\name\n", argsJSON: "{}", version: RPCVersion(1, 0, 3), namespace: "ns \"x\"",
            context: RequestContext(), uniqueID: "u")
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(text))
        #expect(request.method == "we\"ird\\name\n")
        #expect(request.namespace == "ns \"x\"")
        #expect(request.version == RPCVersion(1, 0, 3))
    }

    /// The body written straight into the envelope is the message wrapped afterwards.
    @Test(arguments: [
        (RequestWireTests.context, RequestWireTests.argsJSON, "select_destinations", "compute_task", 30.0 as Double?),
        (RequestContext(requestID: "req-1", userID: "u \"q\"", roles: ["a\\b"]), "{}", "we\"ird\\name\n", nil, nil),
        (RequestContext(requestID: "req-2", projectID: "p"), #"{"s": "tab\t\u00e9 \ud83d\ude00 /"}"#, "echo", "ns \"x\"", 1.5),
    ] as [(RequestContext, String, String, String?, Double?)])
    func bodyIsTheWrappedMessage(context: RequestContext, args: String, method: String, namespace: String?, timeout: Double?) throws {
        for (msgID, replyQueue) in [("m\"1", "reply_x"), (nil, nil)] as [(String?, String?)] {
            let message = OutgoingRequest.message(
                method: method, argsJSON: args, version: RPCVersion(1, 2), namespace: namespace, context: context,
                uniqueID: "u1", msgID: msgID, replyQueue: replyQueue, callMonitorTimeout: timeout)
            let body = OutgoingRequest.body(
                method: method, argsJSON: args, version: RPCVersion(1, 2), namespace: namespace, context: context,
                uniqueID: "u1", msgID: msgID, replyQueue: replyQueue, callMonitorTimeout: timeout)
            #expect(body == OsloEnvelope.wrap(message))
            let request = try IncomingRequest.decode(body: body)
            #expect(request.method == method && request.namespace == namespace && request.msgID == msgID)
            #expect(request.context == context)
        }
    }

    /// A call as Python oslo.messaging (Nova) writes it: json.dumps with ensure_ascii, the
    /// pre-`user_id` context keys `_context_user` / `_context_tenant`, an integer `_timeout`.
    static let pythonCall = """
        {"method": "select_destinations", "namespace": null, "version": "4.5", \
        "args": {"spec_obj": {"nova_object.name": "RequestSpec", "nova_object.namespace": "nova", \
        "nova_object.version": "1.14", "nova_object.data": {"num_instances": 1, "flavor_name": "m1.tiny \\u2601"}, \
        "nova_object.changes": ["num_instances"]}, "instance_uuids": ["7c1bd6b1-1c63-4a4e-9b8e-0f7f5a1b2c3d"], \
        "return_objects": true, "return_alternates": true}, \
        "_context_request_id": "req-2f6a3c1e-8d7b-4a5c-9e0f-1a2b3c4d5e6f", \
        "_context_global_request_id": null, "_context_user": "admin-user", "_context_tenant": "demo-project", \
        "_context_auth_token": "gAAAA-token", "_context_roles": ["reader", "member", "admin"], \
        "_context_is_admin": true, "_context_read_only": false, "_context_show_deleted": false, \
        "_context_read_deleted": "no", "_context_remote_address": "10.0.0.5", \
        "_context_timestamp": "2026-11-28T10:19:38.123456", "_context_service_catalog": [], \
        "_msg_id": "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "_reply_q": "reply_3c2b1a09f8e7d6c5b4a3928170615243", \
        "_timeout": 60, "_unique_id": "a1b2c3d4e5f60718293a4b5c6d7e8f90"}
        """

    @Test func decodesARealOsloCall() throws {
        let request = try IncomingRequest.decode(body: pythonEnvelope(Self.pythonCall))
        #expect(request.method == "select_destinations")
        #expect(request.version == RPCVersion(4, 5))
        #expect(request.namespace == nil)
        #expect(request.isCall)
        #expect(request.msgID == "9f8e7d6c5b4a39281706f5e4d3c2b1a0")
        #expect(request.replyQueue == "reply_3c2b1a09f8e7d6c5b4a3928170615243")
        #expect(request.callMonitorTimeout == 60)
        #expect(request.uniqueID == "a1b2c3d4e5f60718293a4b5c6d7e8f90")
        let ctx = request.context
        #expect(ctx.requestID == "req-2f6a3c1e-8d7b-4a5c-9e0f-1a2b3c4d5e6f")
        #expect(ctx.userID == "admin-user")
        #expect(ctx.projectID == "demo-project")
        #expect(ctx.roles == ["reader", "member", "admin"])
        #expect(ctx.isAdmin)
        #expect(ctx.extra["auth_token"] == "gAAAA-token")
        #expect(ctx.extra["remote_address"] == "10.0.0.5")
        #expect(ctx.extra["read_only"] == false)
        #expect(ctx.extra["service_catalog"] == .array([]))
        #expect(ctx.extra["tenant"] == nil)
        #expect(ctx.extra["user"] == nil)
    }

    struct NovaObject: Decodable, Equatable {
        var name: String
        var data: [String: JSONValue]
        enum CodingKeys: String, CodingKey {
            case name = "nova_object.name", data = "nova_object.data"
        }
    }

    struct SelectDestinationsArgs: Decodable {
        var spec_obj: NovaObject
        var instance_uuids: [String]
        var return_objects: Bool
        var return_alternates: Bool
        var host_lists: [String]?
    }

    @Test func argumentsDecodeIntoTypedStructs() throws {
        let request = try IncomingRequest.decode(body: pythonEnvelope(Self.pythonCall))
        let args = try request.arguments(SelectDestinationsArgs.self)
        #expect(args.spec_obj.name == "RequestSpec")
        #expect(args.spec_obj.data["flavor_name"] == "m1.tiny ☁")
        #expect(args.instance_uuids == ["7c1bd6b1-1c63-4a4e-9b8e-0f7f5a1b2c3d"])
        #expect(args.return_objects && args.return_alternates)
        #expect(args.host_lists == nil)
    }

    @Test func argumentsAsJSONValue() throws {
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(callText()))
        let args = try request.arguments([String: JSONValue].self)
        #expect(args["uuids"] == ["a", "b"])
    }

    struct OptionalArgs: Decodable { var host: String?; var force: Bool? }
    struct RequiredArgs: Decodable { var host: String }

    @Test(arguments: [#"{"method": "m"}"#, #"{"method": "m", "args": null}"#])
    func missingArgsDecodeFromAnEmptyObject(text: String) throws {
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(text))
        let args = try request.arguments(OptionalArgs.self)
        #expect(args.host == nil && args.force == nil)
        #expect(try request.arguments([String: JSONValue].self).isEmpty)
        #expect(throws: DecodingError.self) { try request.arguments(RequiredArgs.self) }
    }

    @Test func mismatchedArgsThrowDecodingError() throws {
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(#"{"method": "m", "args": {"host": 5}}"#))
        #expect(throws: DecodingError.self) { try request.arguments(RequiredArgs.self) }
    }

    @Test(arguments: [
        (#"{"args": {}}"#, "method"),
        (#"{"method": 5}"#, "request is not an oslo RPC message"),
        (#"{"method": ""}"#, "method name"),
        (#"{"method": "m", "version": "one"}"#, "version"),
        (#"{"method": "m", "_timeout": "soon"}"#, "request is not an oslo RPC message"),
        (#"["method"]"#, "request is not an oslo RPC message"),
    ])
    func invalidRequestsAreMalformed(text: String, reason: String) throws {
        let error = try #require(throws: WireError.self) { try IncomingRequest.decode(body: OsloEnvelope.wrap(text)) }
        guard case .malformed(let why) = error else {
            Issue.record("expected .malformed, got \(error)")
            return
        }
        #expect(why.contains(reason), "\(why)")
    }

    @Test func overlongMethodNameIsMalformed() {
        let text = JSONValue.object(["method": .string(String(repeating: "m", count: 256))]).serialized()
        #expect(throws: WireError.self) { try IncomingRequest.decode(body: OsloEnvelope.wrap(text)) }
        let ok = JSONValue.object(["method": .string(String(repeating: "m", count: 255))]).serialized()
        #expect(throws: Never.self) { try IncomingRequest.decode(body: OsloEnvelope.wrap(ok)) }
    }

    @Test func envelopeErrorsPassThrough() {
        #expect(throws: WireError.unsupportedEnvelope("3.0")) {
            try IncomingRequest.decode(body: Data(#"{"oslo.version": "3.0", "oslo.message": "{}"}"#.utf8))
        }
        #expect(throws: WireError.self) { try IncomingRequest.decode(body: Data("garbage".utf8)) }
    }

    @Test func legacyBodyWithoutEnvelopeIsRead() throws {
        let request = try IncomingRequest.decode(body: Data(#"{"method": "ping", "args": {}, "_unique_id": "x"}"#.utf8))
        #expect(request.method == "ping")
        #expect(request.uniqueID == "x")
    }

    @Test(arguments: [#""abc""#, #""""#, "5", "null", #""REQ-upper""#])
    func requestIDNotStartingWithReqIsReplaced(raw: String) throws {
        let text = #"{"method": "m", "_context_request_id": \#(raw)}"#
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(text))
        #expect(request.context.requestID.hasPrefix("req-"))
        #expect(request.context.requestID.count == 40)
        #expect(request.context.extra["request_id"] == nil)
    }

    @Test func missingRequestIDGetsAFreshOneEachTime() throws {
        let body = OsloEnvelope.wrap(#"{"method": "m"}"#)
        let a = try IncomingRequest.decode(body: body).context.requestID
        let b = try IncomingRequest.decode(body: body).context.requestID
        #expect(a.hasPrefix("req-") && b.hasPrefix("req-"))
        #expect(a != b)
    }

    @Test func messageKeepsTheWholeApplicationMessage() throws {
        let text = callText()
        let request = try IncomingRequest.decode(body: OsloEnvelope.wrap(text))
        #expect(request.message == Data(text.utf8))
    }

    struct Args: Encodable { var host: String; var count: Int }

    @Test func encodeArgumentsWritesAJSONObject() throws {
        let text = try OutgoingRequest.encodeArguments(Args(host: "h1", count: 2))
        #expect(try jsonObject(text) == ["host": "h1", "count": 2])
        #expect(try OutgoingRequest.encodeArguments([String: Int]()) == "{}")
    }

    @Test func encodeArgumentsRejectsNonObjects() {
        #expect(throws: MessagingError.self) { try OutgoingRequest.encodeArguments([1, 2]) }
        #expect(throws: MessagingError.self) { try OutgoingRequest.encodeArguments(5) }
        #expect(throws: MessagingError.self) { try OutgoingRequest.encodeArguments("text") }
    }
}
