import Foundation

/// The oslo.messaging 2.0 envelope: `{"oslo.version": "2.0", "oslo.message": "<JSON text>"}`.
///
/// Every RPC request and reply and every `messagingv2` notification travels inside it.
/// A body without both keys is a legacy 1.0 message and is taken as is, as oslo does.
public enum OsloEnvelope {
    /// The envelope version Cirrus writes and accepts (same major).
    public static let version = "2.0"

    /// oslo's `version_is_compatible("2.0", v)`: major 2 and minor 0.
    static func isSupported(_ version: String) -> Bool {
        guard let v = RPCVersion(version) else { return false }
        return RPCVersion(2, 0).canServe(v)
    }

    /// Wraps an already-serialized application message.
    public static func wrap(_ message: String) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(message.utf8.count + 96)
        out.append(contentsOf: prefix)
        JSONText.appendQuoted(message, to: &out)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// What an enveloped message starts with, up to its opening quote.
    static let prefix = Array("{\"oslo.version\": \"2.0\", \"oslo.message\": ".utf8)

    private struct Wire: Decodable {
        let version: String?
        let message: String?
        enum CodingKeys: String, CodingKey {
            case version = "oslo.version"
            case message = "oslo.message"
        }
    }

    /// Returns the inner application message's JSON bytes.
    /// - Throws: ``WireError`` when the body is not JSON, or the envelope version is unsupported.
    public static func unwrap(_ body: Data) throws -> Data {
        if let fast = EnvelopeScanner.message(in: body) { return fast }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: body)
        } catch {
            throw WireError.malformed("message body is not a JSON object: \(Self.describe(error))")
        }
        guard let version = wire.version, let message = wire.message else {
            return body  // legacy 1.0 message: the body is the message
        }
        guard isSupported(version) else {
            throw WireError.unsupportedEnvelope(version)
        }
        return Data(message.utf8)
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? DecodingError {
            switch e {
            case .dataCorrupted(let c): return c.debugDescription
            case .keyNotFound(let k, _): return "missing key '\(k.stringValue)'"
            case .typeMismatch(_, let c): return "wrong type at '\(c.codingPath.map(\.stringValue).joined(separator: "."))': \(c.debugDescription)"
            case .valueNotFound(_, let c): return "missing value at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
            @unknown default: return "\(e)"
            }
        }
        return "\(error)"
    }
}

/// A message that cannot be read off the wire.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedEnvelope(String)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed message: \(why)"
        case .unsupportedEnvelope(let v): return "unsupported oslo envelope version \(v) (this side speaks 2.0)"
        }
    }
}
