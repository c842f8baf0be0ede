import Foundation
import Testing

@testable import Messaging

@Suite struct ReceivedNotificationTests {
    static let message = """
        {"message_id": "5f1b2c3d-0000-4000-8000-000000000001", "publisher_id": "compute.host1", \
        "event_type": "compute.instance.create.end", "priority": "INFO", \
        "payload": {"instance_id": "i-1", "state": "active", "memory_mb": 512}, \
        "timestamp": "2026-11-28 10:19:38.123456", \
        "_context_request_id": "req-11111111-2222-3333-4444-555555555555", "_context_user_id": "u-1", \
        "_context_project_id": "p-1", "_context_roles": ["member"], "_context_is_admin": false, \
        "_context_auth_token": "tok", "_unique_id": "0123456789abcdef0123456789abcdef"}
        """

    private func check(_ n: ReceivedNotification) {
        #expect(n.messageID == "5f1b2c3d-0000-4000-8000-000000000001")
        #expect(n.publisherID == "compute.host1")
        #expect(n.eventType == "compute.instance.create.end")
        #expect(n.priority == "INFO")
        #expect(n.timestamp == "2026-11-28 10:19:38.123456")
        #expect(n.payload == ["instance_id": "i-1", "state": "active", "memory_mb": 512])
        #expect(n.context.requestID == "req-11111111-2222-3333-4444-555555555555")
        #expect(n.context.userID == "u-1")
        #expect(n.context.projectID == "p-1")
        #expect(n.context.roles == ["member"])
        #expect(!n.context.isAdmin)
        #expect(n.context.extra["auth_token"] == "tok")
        #expect(n.context.extra["unique_id"] == nil, "_unique_id is not a context key")
    }

    @Test func decodesAV2EnvelopedNotification() throws {
        check(try ReceivedNotification.decode(body: pythonEnvelope(Self.message)))
        check(try ReceivedNotification.decode(body: OsloEnvelope.wrap(Self.message)))
    }

    @Test func decodesAV1RawDict() throws {
        check(try ReceivedNotification.decode(body: Data(Self.message.utf8)))
    }

    @Test func redeliveredFlagIsCarried() throws {
        #expect(try ReceivedNotification.decode(body: Data(Self.message.utf8), redelivered: true).redelivered)
        #expect(try !ReceivedNotification.decode(body: Data(Self.message.utf8)).redelivered)
    }

    @Test func optionalFieldsDefault() throws {
        let n = try ReceivedNotification.decode(body: Data(#"{"event_type": "port.create.end"}"#.utf8))
        #expect(n.eventType == "port.create.end")
        #expect(n.messageID == "")
        #expect(n.publisherID == "")
        #expect(n.priority == "INFO")
        #expect(n.timestamp == "")
        #expect(n.payload == .null)
        #expect(n.context.requestID.hasPrefix("req-"))
        #expect(n.context.userID == nil)
    }

    @Test(arguments: [
        #"{"message_id": "x", "payload": {}}"#, #"{"event_type": 5}"#, #"{"event_type": null}"#,
    ])
    func missingEventTypeIsMalformed(text: String) throws {
        for body in [Data(text.utf8), OsloEnvelope.wrap(text)] {
            let error = try #require(throws: WireError.self) { try ReceivedNotification.decode(body: body) }
            #expect(error == .malformed("notification has no event_type"))
        }
    }

    @Test(arguments: ["[1, 2]", "not json", "\"text\""])
    func nonObjectsAreMalformed(text: String) {
        #expect(throws: WireError.self) { try ReceivedNotification.decode(body: Data(text.utf8)) }
        #expect(throws: WireError.self) { try ReceivedNotification.decode(body: OsloEnvelope.wrap(text)) }
    }

    @Test func unsupportedEnvelopeIsReported() {
        #expect(throws: WireError.unsupportedEnvelope("3.0")) {
            try ReceivedNotification.decode(body: Data(#"{"oslo.version": "3.0", "oslo.message": "{}"}"#.utf8))
        }
    }

    @Test func prioritiesAreOslosLowercaseNames() {
        #expect(NotificationPriority.allCases.map(\.rawValue) == ["audit", "debug", "info", "warn", "error", "critical", "sample"])
    }
}

@Suite struct NotifierTimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01 00:00:00.000000"),
        (1_795_861_178.5, "2026-11-28 10:19:38.500000"),
        (1_764_325_178.25, "2025-11-28 10:19:38.250000"),
        (951_782_400.75, "2000-02-29 00:00:00.750000"),
        (-0.25, "1969-12-31 23:59:59.750000"),
    ])
    func formatsLikePythonStrOfUtcnow(seconds: Double, expected: String) {
        #expect(Notifier.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func nowHasTheShapeYYYYMMDDHHMMSSffffff() throws {
        let text = Notifier.timestamp()
        #expect(text.wholeMatch(of: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}/) != nil, "\(text)")
        #expect(text.hasPrefix("20"))
    }

    @Test func microsecondsAreRoundedNotTruncated() {
        // Python: datetime.fromtimestamp(1.000001, utc) → 1970-01-01 00:00:01.000001. The Double
        // 1.000001 is 1.00000099999999991773, so truncating the fraction gives .000000.
        #expect(Notifier.timestamp(Date(timeIntervalSince1970: 1.000001)) == "1970-01-01 00:00:01.000001")
    }
}
