import Foundation

/// One pass over an oslo RPC request message (`{"method": …, "args": {…}, "_context_…": …}`)
/// that reads the header fields and only notes where `args` lies, so the handler's argument
/// decoder parses the arguments alone instead of the whole message a second time. Returns nil
/// for anything unusual (duplicate keys, numbers in contexts other than plain integers, a
/// missing or invalid method, invalid JSON): ``IncomingRequest`` then decodes with
/// JSONDecoder, which produces the same values or the error to report.
enum RequestHeaderScanner {
    /// Where the arguments are.
    enum Arguments: Equatable, Sendable {
        /// No `args` key.
        case absent
        /// `"args": null`.
        case null
        /// The byte range of the `args` value in the message.
        case at(Range<Int>)
    }

    struct Header: Equatable {
        var method: String
        var version: String?
        var namespace: String?
        var uniqueID: String?
        var msgID: String?
        var replyQueue: String?
        var timeout: Double?
        var context = WireContext()
        var arguments = Arguments.absent
    }

    static func scan(_ message: Data) -> Header? {
        JSONByteScanner.scan(message, header)
    }

    /// The header keys the scanner reads, by bit in the duplicate mask.
    private enum Key: Int {
        case method, version, namespace, uniqueID, msgID, replyQueue, timeout, args

        init?(_ s: JSONByteScanner, _ r: Range<Int>) {
            switch r.count {
            case 4 where s.bytes(r, equal: "args"): self = .args
            case 6 where s.bytes(r, equal: "method"): self = .method
            case 7 where s.bytes(r, equal: "version"): self = .version
            case 7 where s.bytes(r, equal: "_msg_id"): self = .msgID
            case 8 where s.bytes(r, equal: "_reply_q"): self = .replyQueue
            case 8 where s.bytes(r, equal: "_timeout"): self = .timeout
            case 9 where s.bytes(r, equal: "namespace"): self = .namespace
            case 10 where s.bytes(r, equal: "_unique_id"): self = .uniqueID
            default: return nil
            }
        }
    }

    /// Keys are compared as bytes, no String made for them (a key with escapes goes to the
    /// slow path). Duplicates of a header key or a context key step aside for JSONDecoder;
    /// other keys are skipped unread, so a duplicate of one changes nothing.
    private static func header(_ s: inout JSONByteScanner) -> Header? {
        var h = Header(method: "")
        var method: String?
        var seen: UInt16 = 0
        let read = s.members { s, keyRange in
            guard let key = Key(s, keyRange) else {
                guard s.bytes(keyRange, startWith: "_context_") else { return s.skipValue() }
                let nameStart = keyRange.lowerBound + RequestContext.prefix.utf8.count
                let name = UnsafeBufferPointer(start: s.p + nameStart, count: keyRange.upperBound - nameStart)
                if let slot = WireContext.Slot(name) {
                    guard let v = s.value() else { return false }
                    return h.context.set(slot, v)
                }
                guard let name = JSONByteScanner.validString(name), let v = s.value() else { return false }
                return h.context.set(name, v)
            }
            guard seen & (1 << key.rawValue) == 0 else { return false }
            seen |= 1 << key.rawValue
            switch key {
            case .method:
                guard let m = s.swiftString() else { return false }
                method = m
            case .version: guard let v = s.optionalString() else { return false }; h.version = v
            case .namespace: guard let v = s.optionalString() else { return false }; h.namespace = v
            case .uniqueID: guard let v = s.optionalString() else { return false }; h.uniqueID = v
            case .msgID: guard let v = s.optionalString() else { return false }; h.msgID = v
            case .replyQueue: guard let v = s.optionalString() else { return false }; h.replyQueue = v
            case .timeout:
                if s.peek() == UInt8(ascii: "n") { return s.literal("null") }
                guard let token = s.numberToken(), let t = Double(token), t.isFinite else { return false }
                h.timeout = t
            case .args:
                if s.peek() == UInt8(ascii: "n") {
                    h.arguments = .null
                    return s.literal("null")
                }
                guard let r = s.valueRange() else { return false }
                h.arguments = .at(r)
            }
            return true
        }
        guard read, s.atEnd(), let method, !method.isEmpty, method.utf8.count <= 255 else { return nil }
        h.method = method
        return h
    }
}
