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
        var versionOK: Bool?
        var message: Data?
        let read = s.members { s, key in
            if versionOK == nil, s.bytes(key, equal: "oslo.version") {
                if let r = s.plainString() {
                    versionOK = s.bytes(r, equal: "2.0") || OsloEnvelope.isSupported(s.text(r))
                } else {
                    guard let v = s.string() else { return false }
                    versionOK = OsloEnvelope.isSupported(String(decoding: v, as: UTF8.self))
                }
                return true
            }
            if message == nil, s.bytes(key, equal: "oslo.message") {
                message = s.stringData()
                return message != nil
            }
            return false  // another key, or one of these twice
        }
        guard read, s.atEnd(), versionOK == true, let message else { return nil }
        return message
    }
}
