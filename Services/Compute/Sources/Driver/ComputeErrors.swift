import Messaging

/// The instance is not on this compute host (Nova's `InstanceNotFound`), typed across the wire.
public struct InstanceNotFound: RemoteErrorConvertible, CustomStringConvertible {
    public static let remoteClassName = "InstanceNotFound"
    public var remoteMessage: String
    public init(uuid: String, host: String) {
        remoteMessage = "Instance \(uuid) could not be found on compute host \(host)."
    }
    public init(remoteMessage: String, kwargs: [String: JSONValue]) { self.remoteMessage = remoteMessage }
    public var description: String { remoteMessage }
}

/// The driver offers no console of that type (Nova's `ConsoleTypeUnavailable`), typed across
/// the wire so cirrus-api can answer 400/409 instead of 500.
public struct ConsoleTypeUnavailable: RemoteErrorConvertible, CustomStringConvertible {
    public static let remoteClassName = "ConsoleTypeUnavailable"
    public var remoteMessage: String
    public init(consoleType: String, reason: String) {
        remoteMessage = "Unavailable console type \(consoleType): \(reason)."
    }
    public init(remoteMessage: String, kwargs: [String: JSONValue]) { self.remoteMessage = remoteMessage }
    public var description: String { remoteMessage }
}
