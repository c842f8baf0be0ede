import Foundation
import Messaging

/// One line of the QEMU Machine Protocol (JSON objects, one per line): the greeting, a
/// command's success or error, or an asynchronous event. Parsing and command rendering are
/// pure; ``QMPClient`` does the socket I/O.
public enum QMPMessage: Sendable, Equatable {
    /// `{"QMP": {"version": {"qemu": {"major", "minor", "micro"}}, ...}}`.
    case greeting(version: String)
    /// `{"return": ...}`.
    case success(JSONValue)
    /// `{"error": {"class": ..., "desc": ...}}`.
    case failure(errorClass: String, description: String)
    /// `{"event": "SHUTDOWN", ...}`.
    case event(String)

    /// - Throws: ``QMPError`` when the line is not one of the four message kinds.
    public static func parse(_ line: String) throws -> QMPMessage {
        guard let value = try? JSONValue.parse(Data(line.utf8)), let o = value.objectValue else {
            throw QMPError("qemu sent a QMP line that is not a JSON object: \(line.prefix(200))")
        }
        if let qmp = o["QMP"]?.objectValue {
            let v = qmp["version"]?.objectValue?["qemu"]?.objectValue
            let part = { (k: String) in v?[k]?.doubleValue.map { String(Int($0)) } ?? "?" }
            return .greeting(version: "\(part("major")).\(part("minor")).\(part("micro"))")
        }
        if let ret = o["return"] { return .success(ret) }
        if let err = o["error"]?.objectValue {
            return .failure(errorClass: err["class"]?.stringValue ?? "GenericError", description: err["desc"]?.stringValue ?? "")
        }
        if let event = o["event"]?.stringValue { return .event(event) }
        throw QMPError("qemu sent an unknown QMP message: \(line.prefix(200))")
    }

    /// The JSON line (with its newline) that executes `command`.
    public static func command(_ command: String, arguments: JSONValue? = nil) -> String {
        var o: [String: JSONValue] = ["execute": .string(command)]
        if let arguments { o["arguments"] = arguments }
        return JSONValue.object(o).serialized() + "\n"
    }
}

/// A QMP exchange failed; the message says with what.
public struct QMPError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
