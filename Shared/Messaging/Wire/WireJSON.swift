import Foundation

/// JSON coding for RPC arguments and results: the lean coders (``WireJSONDecoder``,
/// ``WireJSONEncoder``) when they are sure to match Foundation's JSONDecoder / JSONEncoder
/// (default options), Foundation's otherwise. If the lean coder throws anything, Foundation's
/// runs on the same input and its value or error is what the caller gets. The one visible
/// difference: objects list members in encoding order, where Foundation's order varies from
/// process to process. (A type whose `init(from:)` or `encode(to:)` throws, or makes the
/// lean coder give up, runs twice.)
public enum WireJSON {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try data.withUnsafeBytes { try WireJSONDecoder.decode(type, from: $0) }
        } catch {
            return try JSONDecoder().decode(type, from: data)
        }
    }

    /// Decodes the value at `range` of `data` (offsets from `data.startIndex`) from those
    /// bytes alone.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, at range: Range<Int>) throws -> T {
        do {
            return try data.withUnsafeBytes { try WireJSONDecoder.decode(type, from: UnsafeRawBufferPointer(rebasing: $0[range])) }
        } catch {
            let start = data.startIndex
            return try JSONDecoder().decode(type, from: data[(start + range.lowerBound)..<(start + range.upperBound)])
        }
    }

    /// The JSON text of `value` (top-level scalars included).
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        do {
            return String(decoding: try WireJSONEncoder.encode(value), as: UTF8.self)
        } catch {
            return String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        }
    }
}
