import Foundation
import Logging
import Testing

@testable import Messaging

@Suite struct RequestContextTests {
    @Test func newRequestIDIsReqAndALowercaseUUID() {
        let id = RequestContext.newRequestID()
        #expect(id.hasPrefix("req-"))
        let uuid = String(id.dropFirst(4))
        #expect(UUID(uuidString: uuid) != nil)
        #expect(uuid == uuid.lowercased())
        #expect(RequestContext.newRequestID() != id)
    }

    @Test func defaultContextHasAFreshRequestIDAndNoIdentity() {
        let ctx = RequestContext()
        #expect(ctx.requestID.hasPrefix("req-"))
        #expect(ctx.userID == nil && ctx.projectID == nil)
        #expect(ctx.roles.isEmpty && !ctx.isAdmin && ctx.extra.isEmpty)
    }

    @Test func serviceContextIsAdmin() {
        let ctx = RequestContext.service("cirrus-scheduler")
        #expect(ctx.userID == "cirrus-scheduler")
        #expect(ctx.projectID == "service")
        #expect(ctx.roles == ["admin"])
        #expect(ctx.isAdmin)
    }

    @Test func wireEntriesWriteBothOldAndNewIdentityKeys() {
        let ctx = RequestContext(requestID: "req-1", userID: "u", projectID: "p", roles: ["member"], extra: ["x": 1])
        #expect(ctx.wireEntries == [
            "request_id": "req-1", "global_request_id": nil, "user_id": "u", "user": "u", "project_id": "p",
            "project": "p", "roles": ["member"], "is_admin": false, "x": 1,
        ])
    }

    @Test func wireEntriesOmitAbsentIdentityAndKeepAGlobalRequestID() {
        let ctx = RequestContext(requestID: "req-1", extra: ["global_request_id": "req-global"])
        let d = ctx.wireEntries
        #expect(d["user_id"] == nil && d["user"] == nil && d["project_id"] == nil && d["project"] == nil)
        #expect(d["global_request_id"] == "req-global")
        #expect(d["roles"] == .array([]))
    }

    @Test(arguments: [
        RequestContext(requestID: "req-1"),
        RequestContext(requestID: "req-2", userID: "u \"q\"", projectID: "p"),
        RequestContext(requestID: "req-3", userID: "u", roles: ["admin", "member"], isAdmin: true),
        RequestContext(requestID: "req-4", projectID: "p\\", roles: ["r"]),
        RequestContext(requestID: "req-5", userID: "u", extra: ["x": 1, "global_request_id": "req-g"]),
    ])
    func writtenEntriesAreTheSortedWireEntries(_ ctx: RequestContext) throws {
        var expected = ""
        for (k, v) in ctx.wireEntries.sorted(by: { $0.key < $1.key }) {
            expected += ", " + JSONText.quoted(RequestContext.prefix + k) + ": " + v.serialized()
        }
        var writer = MessageWriter(enveloped: false)
        ctx.writeWireEntries(to: &writer)
        let written = writer.text
        #expect(written == expected)
        let object = try JSONValue.parse(Data(("{" + written.dropFirst(2) + "}").utf8))
        #expect(RequestContext(wireEntries: Dictionary(uniqueKeysWithValues: object.objectValue!.map {
            (String($0.key.dropFirst(RequestContext.prefix.count)), $0.value)
        })) == ctx)
    }

    @Test func typedEntriesWinOverExtraOnTheWire() {
        let ctx = RequestContext(requestID: "req-real", userID: "u", extra: ["request_id": "req-stale", "user_id": "stale"])
        #expect(ctx.wireEntries["request_id"] == "req-real")
        #expect(ctx.wireEntries["user_id"] == "u")
    }

    @Test func readsUserIDBeforeUserAndProjectIDBeforeProjectAndTenant() {
        let both = RequestContext(wireEntries: ["user_id": "new", "user": "old", "project_id": "p-new", "project": "p-old", "tenant": "t"])
        #expect(both.userID == "new")
        #expect(both.projectID == "p-new")
        let legacy = RequestContext(wireEntries: ["user": "old", "tenant": "t"])
        #expect(legacy.userID == "old")
        #expect(legacy.projectID == "t")
        let project = RequestContext(wireEntries: ["project": "p-old", "tenant": "t"])
        #expect(project.projectID == "p-old")
    }

    @Test func nonStringAndMalformedEntriesAreTolerated() {
        let ctx = RequestContext(wireEntries: ["user_id": 5, "roles": "admin", "is_admin": "yes"])
        #expect(ctx.userID == nil)
        #expect(ctx.roles.isEmpty)
        #expect(!ctx.isAdmin)
        let mixed = RequestContext(wireEntries: ["roles": ["a", 1, nil, "b"], "is_admin": true])
        #expect(mixed.roles == ["a", "b"])
        #expect(mixed.isAdmin)
    }

    @Test func wireRoundTripKeepsEveryField() {
        let ctx = RequestContext(
            requestID: "req-9", userID: "u", projectID: "p", roles: ["admin", "reader"], isAdmin: true,
            extra: ["auth_token": "t", "global_request_id": "req-g", "nested": ["a": [1, 2]]])
        #expect(RequestContext(wireEntries: ctx.wireEntries) == ctx)
    }

    @Test func wireRoundTripOfAContextWithoutGlobalRequestIDIsIdentity() {
        let ctx = RequestContext(requestID: "req-9", userID: "u", projectID: "p", roles: ["admin"], isAdmin: true)
        let back = RequestContext(wireEntries: ctx.wireEntries)
        #expect(back.requestID == ctx.requestID && back.userID == ctx.userID && back.projectID == ctx.projectID)
        #expect(back == ctx)
    }

    @Test func loggerMetadataCarriesTheIDs() {
        let ctx = RequestContext(requestID: "req-1", userID: "u", projectID: "p")
        #expect(ctx.loggerMetadata == ["request.id": "req-1", "user.id": "u", "project.id": "p"])
        let anonymous = RequestContext(requestID: "req-2")
        #expect(anonymous.loggerMetadata == ["request.id": "req-2"])
        let logger = ctx.logger(silentLogger)
        #expect(logger[metadataKey: "request.id"] == "req-1")
        #expect(logger[metadataKey: "project.id"] == "p")
    }
}
