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
        guard s.expect(UInt8(ascii: "{")) else { return nil }
        var version: [UInt8]?
        var message: [UInt8]?
        for k in 0..<2 {
            if k == 1 { guard s.expect(UInt8(ascii: ",")) else { return nil } }
            guard let key = s.string(), s.expect(UInt8(ascii: ":")), let value = s.string() else { return nil }
            switch key {
            case Array("oslo.version".utf8): version = value
            case Array("oslo.message".utf8): message = value
            default: return nil
            }
        }
        guard s.expect(UInt8(ascii: "}")), s.atEnd(), let version,
            OsloEnvelope.isSupported(String(decoding: version, as: UTF8.self)), let message
        else {
            return nil
        }
        return Data(message)
    }
}
