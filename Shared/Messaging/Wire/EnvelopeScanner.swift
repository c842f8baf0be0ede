import Foundation

/// A fast path for the envelope as oslo.messaging and Cirrus write it:
/// `{"oslo.version": "2.0", "oslo.message": "<escaped JSON>"}` (keys in either order, any
/// whitespace). It unescapes the inner string in one pass over the bytes; anything it does
/// not recognise returns nil and the full JSON decoder takes over.
enum EnvelopeScanner {
    static func message(in body: Data) -> Data? {
        JSONByteScanner.scan(body, envelope)
    }

    private static func envelope(_ s: inout JSONByteScanner) -> Data? {
        var version: [UInt8]?
        var message: [UInt8]?
        let read = s.members { s, key in
            if version == nil, s.bytes(key, equal: "oslo.version") {
                version = s.string()
                return version != nil
            }
            if message == nil, s.bytes(key, equal: "oslo.message") {
                message = s.string()
                return message != nil
            }
            return false  // another key, or one of these twice
        }
        guard read, s.atEnd(), let version, OsloEnvelope.isSupported(String(decoding: version, as: UTF8.self)),
            let message
        else {
            return nil
        }
        return Data(message)
    }
}
