import Foundation
import Hummingbird
import Messaging

/// Typed access to a JSON request object whose errors name the field and what is expected,
/// e.g. "Invalid input for field/attribute server.name: expected a string".
public struct BodyFields: Sendable {
    public let values: [String: JSONValue]
    /// Dotted path of this object in the body (`server`), for messages.
    public let path: String

    public init(_ values: [String: JSONValue], path: String) {
        self.values = values
        self.path = path
    }

    /// Parses a JSON document; malformed input is a 400 that says so.
    public static func parse(_ data: Data) throws -> JSONValue {
        guard !data.isEmpty else { throw APIError.badRequest("Malformed request body: the body is empty; send a JSON object") }
        do {
            return try JSONValue.parse(data)
        } catch {
            throw APIError.badRequest("Malformed request body: it is not valid JSON")
        }
    }

    /// The object under `key` at the top of the body, e.g. `{"server": {...}}`.
    public static func root(_ data: Data, key: String) throws -> BodyFields {
        guard let top = try parse(data).objectValue else {
            throw APIError.badRequest("Malformed request body: expected a JSON object with '\(key)'")
        }
        guard let inner = top[key] else { throw APIError.badRequest("Malformed request body: '\(key)' is missing") }
        guard let object = inner.objectValue else {
            throw APIError.badRequest("Invalid input for field/attribute \(key): expected an object")
        }
        return BodyFields(object, path: key)
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func invalid(_ key: String, _ expected: String) -> APIError {
        APIError.badRequest("Invalid input for field/attribute \(name(key)): expected \(expected)")
    }

    public func has(_ key: String) -> Bool { values[key] != nil && values[key] != .null }

    public func string(_ key: String) throws -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw invalid(key, "a string")
        }
    }

    public func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else {
            throw APIError.badRequest("Invalid input for field/attribute \(name(key)): '\(key)' is a required property")
        }
        return s
    }

    /// An integer, also accepted as a decimal string (as Nova does).
    public func int(_ key: String) throws -> Int? {
        switch values[key] {
        case nil, .null?: return nil
        case .int(let i)?: return Int(i)
        case .double(let d)? where d == d.rounded() && abs(d) < 1e15: return Int(d)
        case .string(let s)?: if let i = Int(s) { return i }
        default: break
        }
        throw invalid(key, "an integer")
    }

    public func bool(_ key: String) throws -> Bool? {
        switch values[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case .string(let s)?: if let b = Bool(configLike: s) { return b }
        default: break
        }
        throw invalid(key, "a boolean")
    }

    public func object(_ key: String) throws -> BodyFields? {
        switch values[key] {
        case nil, .null?: return nil
        case .object(let o)?: return BodyFields(o, path: name(key))
        default: throw invalid(key, "an object")
        }
    }

    public func array(_ key: String) throws -> [JSONValue]? {
        switch values[key] {
        case nil, .null?: return nil
        case .array(let a)?: return a
        default: throw invalid(key, "an array")
        }
    }

    /// An object of string values (metadata).
    public func stringMap(_ key: String) throws -> [String: String]? {
        guard let o = try object(key) else { return nil }
        var out: [String: String] = [:]
        for (k, v) in o.values {
            guard let s = v.stringValue else { throw o.invalid(k, "a string value") }
            out[k] = s
        }
        return out
    }
}

extension Bool {
    init?(configLike s: String) {
        switch s.lowercased() {
        case "true", "1", "yes", "on": self = true
        case "false", "0", "no", "off": self = false
        default: return nil
        }
    }
}

extension Request {
    /// The body as bytes, at most ``APIRequestContext/maxJSONBody``; larger is a 413 that says the limit.
    public func jsonBody() async throws -> Data {
        do {
            var copy = self
            let buffer = try await copy.collectBody(upTo: APIRequestContext.maxJSONBody)
            return Data(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(
                .contentTooLarge,
                "Request body is larger than \(APIRequestContext.maxJSONBody) bytes; JSON requests are limited to 256 KiB")
        }
    }
}

extension Request {
    /// Query parameters, percent-decoded; the first of repeated keys wins.
    public var query: [String: String] {
        var out: [String: String] = [:]
        for (key, value) in uri.queryParameters where out[String(key)] == nil {
            out[String(key)] = String(value)
        }
        return out
    }
}
