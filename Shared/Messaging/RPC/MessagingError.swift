import Foundation

/// Errors of the RPC layer on the caller's side.
public enum MessagingError: Error, CustomStringConvertible, Equatable {
    /// No reply within the timeout (oslo's `MessagingTimeout`).
    case timeout(topic: String, method: String, msgID: String, seconds: Double)
    /// No queue took the request: nothing serves the topic (oslo's `MessageUndeliverable`,
    /// raised for clients that ask for it; see ``RPCClient/failIfUnroutable``).
    case undeliverable(topic: String, method: String, msgID: String, exchange: String)
    /// The requested version is above the configured `[upgrade_levels]` cap.
    case versionCap(method: String, requested: RPCVersion, cap: RPCVersion)
    /// A target that cannot be used (e.g. call with fanout).
    case invalidTarget(String)
    /// Arguments or results that cannot be encoded or decoded.
    case encoding(String)
    /// The transport has been shut down.
    case shutDown

    public var description: String {
        switch self {
        case .timeout(let topic, let method, let id, let s):
            return "MessagingTimeout: Timed out waiting for a reply to message ID \(id) (topic \(topic), method \(method), after \(String(format: "%g", s)) s)"
        case .undeliverable(let topic, let method, let id, let exchange):
            return "MessageUndeliverable: no queue is bound to topic \(topic) on exchange \(exchange), so nothing serves it (method \(method), message ID \(id))"
        case .versionCap(let m, let r, let c):
            return "RPCVersionCapError: method \(m) needs version \(r) but [upgrade_levels] caps it at \(c)"
        case .invalidTarget(let why): return "InvalidTarget: \(why)"
        case .encoding(let why): return "encoding error: \(why)"
        case .shutDown: return "the messaging transport is shut down"
        }
    }
}

/// Dispatch errors a server answers with, named as oslo names them.
public struct UnsupportedVersion: RemoteErrorConvertible {
    public static let remoteClassName = "UnsupportedVersion"
    public static let remoteModule = "oslo_messaging.rpc.dispatcher"
    public let remoteMessage: String
    public init(remoteMessage: String, kwargs: [String: JSONValue] = [:]) { self.remoteMessage = remoteMessage }
}

/// The endpoint is compatible but has no such method.
public struct NoSuchMethod: RemoteErrorConvertible {
    public static let remoteClassName = "NoSuchMethod"
    public static let remoteModule = "oslo_messaging.rpc.dispatcher"
    public let remoteMessage: String
    public init(remoteMessage: String, kwargs: [String: JSONValue] = [:]) { self.remoteMessage = remoteMessage }
}

/// The arguments did not match the method's schema.
public struct InvalidArguments: RemoteErrorConvertible {
    public static let remoteClassName = "InvalidArguments"
    public static let remoteModule = "cirrus.exception"
    public let remoteMessage: String
    public init(remoteMessage: String, kwargs: [String: JSONValue] = [:]) { self.remoteMessage = remoteMessage }
}
