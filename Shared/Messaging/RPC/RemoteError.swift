import Foundation

/// An exception raised by the remote side of a call, as oslo serializes it into `failure`:
/// `{"class", "module", "message", "tb", "args", "kwargs"}`.
public struct RemoteError: Error, Sendable, CustomStringConvertible, Equatable {
    public var className: String
    public var module: String
    public var message: String
    public var traceback: [String]
    public var kwargs: [String: JSONValue]

    public init(className: String, module: String, message: String, traceback: [String] = [], kwargs: [String: JSONValue] = [:]) {
        self.className = className
        self.module = module
        self.message = message
        self.traceback = traceback
        self.kwargs = kwargs
    }

    public var description: String { "Remote error: \(className) \(message)" }

    /// The `failure` JSON text.
    public var failureJSON: String {
        JSONValue.object([
            "class": .string(className), "module": .string(module), "message": .string(message),
            "tb": .array(traceback.map { .string($0) }), "args": .array([.string(message)]), "kwargs": .object(kwargs),
        ]).serialized()
    }

    /// Reads a `failure` JSON text; anything unreadable still becomes an error with the raw text.
    public init(failureJSON text: String) {
        guard let v = try? JSONValue.parse(Data(text.utf8)), let o = v.objectValue else {
            self.init(className: "RemoteError", module: "builtins", message: text)
            return
        }
        var name = o["class"]?.stringValue ?? "RemoteError"
        if name.hasSuffix("_Remote") { name = String(name.dropLast(7)) }
        let tb: [String]
        switch o["tb"] {
        case .array(let a)?: tb = a.compactMap(\.stringValue)
        case .string(let s)?: tb = [s]
        default: tb = []
        }
        self.init(
            className: name, module: o["module"]?.stringValue ?? "builtins",
            message: o["message"]?.stringValue ?? "", traceback: tb, kwargs: o["kwargs"]?.objectValue ?? [:])
    }

    /// Converts any error a handler threw into what goes on the wire.
    public init(from error: any Error) {
        if let r = error as? RemoteError {
            self = r
        } else if let c = error as? any RemoteErrorConvertible {
            self.init(
                className: type(of: c).remoteClassName, module: type(of: c).remoteModule, message: c.remoteMessage,
                traceback: ["Cirrus (Swift) raised \(type(of: c).remoteClassName): \(c.remoteMessage)"],
                kwargs: c.remoteKwargs)
        } else {
            let name = String(describing: type(of: error))
            self.init(
                className: name, module: "cirrus.internal", message: "\(error)",
                traceback: ["Cirrus (Swift) raised \(name): \(error)"])
        }
    }
}

/// An error type that crosses the wire with a stable class name and message, and that
/// callers get back as itself when they list it in ``RPCClient/expectedErrors``.
public protocol RemoteErrorConvertible: Error, Sendable {
    /// Stable class name on the wire (e.g. `NoValidHost`).
    static var remoteClassName: String { get }
    /// Module on the wire (e.g. `cirrus.exception`).
    static var remoteModule: String { get }
    /// An expected error is answered without an ERROR log line on the server.
    static var isExpected: Bool { get }
    var remoteMessage: String { get }
    var remoteKwargs: [String: JSONValue] { get }
    /// Rebuilds the error on the caller's side.
    init(remoteMessage: String, kwargs: [String: JSONValue])
}

extension RemoteErrorConvertible {
    public static var remoteModule: String { "cirrus.exception" }
    public static var isExpected: Bool { true }
    public var remoteKwargs: [String: JSONValue] { [:] }
}
