import Foundation

/// Notification priorities (oslo writes them uppercase in the body, lowercase in routing keys).
public enum NotificationPriority: String, Sendable, CaseIterable {
    case audit, debug, info, warn, error, critical, sample
}

/// A notification as received by a listener.
public struct ReceivedNotification: Sendable {
    public var messageID: String
    public var publisherID: String
    public var eventType: String
    public var priority: String
    public var timestamp: String
    public var payload: JSONValue
    public var context: RequestContext
    public var redelivered: Bool
    /// oslo's `_unique_id` (per copy), for duplicate suppression; nil when absent.
    public var uniqueID: String?
}

extension ReceivedNotification {
    /// Reads an oslo notification (v2 envelope or v1 raw dict).
    public static func decode(body: Data, redelivered: Bool = false) throws -> ReceivedNotification {
        let message = try OsloEnvelope.unwrap(body)
        guard case .object(let o)? = try? JSONValue.parse(message) else {
            throw WireError.malformed("notification is not a JSON object")
        }
        guard let eventType = o["event_type"]?.stringValue else {
            throw WireError.malformed("notification has no event_type")
        }
        var ctx: [String: JSONValue] = [:]
        for (k, v) in o where k.hasPrefix(RequestContext.prefix) {
            ctx[String(k.dropFirst(RequestContext.prefix.count))] = v
        }
        return ReceivedNotification(
            messageID: o["message_id"]?.stringValue ?? "", publisherID: o["publisher_id"]?.stringValue ?? "",
            eventType: eventType, priority: o["priority"]?.stringValue ?? "INFO",
            timestamp: o["timestamp"]?.stringValue ?? "", payload: o["payload"] ?? .null,
            context: RequestContext(wireEntries: ctx), redelivered: redelivered, uniqueID: o["_unique_id"]?.stringValue)
    }
}
