import Foundation

/// Writes an oslo application message as JSON text, either plain or already escaped as the
/// content of the envelope's `oslo.message` string: an enveloped request or notification is
/// then written once, not built as text and escaped again by ``OsloEnvelope/wrap(_:)``.
struct MessageWriter {
    private(set) var bytes: [UInt8] = []
    private let enveloped: Bool

    init(enveloped: Bool, capacity: Int = 768) {
        self.enveloped = enveloped
        bytes.reserveCapacity(capacity)
        if enveloped {
            bytes.append(contentsOf: OsloEnvelope.prefix)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// JSON text as is (punctuation, keys, numbers, an encoded value).
    mutating func json(_ text: StaticString) {
        let b = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        if enveloped { JSONText.appendEscaped(b, to: &bytes) } else { bytes.append(contentsOf: b) }
    }

    /// JSON text as is (punctuation, keys, numbers, an encoded value).
    mutating func json(_ text: String) {
        if enveloped { JSONText.appendEscaped(text, to: &bytes) } else { bytes.append(contentsOf: text.utf8) }
    }

    /// A string value, quoted and escaped.
    mutating func string(_ s: String) {
        if enveloped { JSONText.appendNestedQuoted(s, to: &bytes) } else { JSONText.appendQuoted(s, to: &bytes) }
    }

    /// The message as text (plain writer).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The AMQP body: the envelope closed around the message (enveloped writer).
    mutating func body() -> Data {
        bytes.append(contentsOf: Self.envelopeTail)
        return Data(bytes)
    }

    private static let envelopeTail = Array(#""}"#.utf8)
}
