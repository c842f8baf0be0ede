import Messaging

/// JSON text as Python's `json.dumps(value, indent=2)` writes it (what `openstack -f json`
/// prints): keys in the given order, `": "` after keys, non-ASCII escaped as `\uXXXX`.
enum PrettyJSON {
    /// A JSON value whose object keys keep their order.
    indirect enum Node {
        case scalar(JSONValue)
        case array([Node])
        case object([(String, Node)])

        /// Converts a JSONValue; its object keys are sorted (they have no order of their own).
        init(_ value: JSONValue) {
            switch value {
            case .array(let a): self = .array(a.map(Node.init))
            case .object(let o): self = .object(o.keys.sorted().map { ($0, Node(o[$0]!)) })
            default: self = .scalar(value)
            }
        }
    }

    /// The text of `node`; `indent: nil` gives one line (`--noindent`).
    static func render(_ node: Node, indent: Int?) -> String {
        var out = ""
        write(node, indent: indent, depth: 0, to: &out)
        return out
    }

    private static func write(_ node: Node, indent: Int?, depth: Int, to out: inout String) {
        func newline(_ d: Int) {
            if let indent { out += "\n" + String(repeating: " ", count: indent * d) }
        }
        let comma = indent == nil ? ", " : ","
        switch node {
        case .scalar(let v):
            out += scalar(v)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += comma }
                newline(depth + 1)
                write(item, indent: indent, depth: depth + 1, to: &out)
            }
            newline(depth)
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out += comma }
                newline(depth + 1)
                out += quoted(k) + ": "
                write(v, indent: indent, depth: depth + 1, to: &out)
            }
            newline(depth)
            out += "}"
        }
    }

    private static func scalar(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? "\(Int64(d)).0" : "\(d)") : "NaN"
        case .string(let s): return quoted(s)
        case .array, .object: return render(Node(v), indent: nil)
        }
    }

    /// A JSON string literal with Python's default escaping (`ensure_ascii=True`).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for unit in s.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out += String(UnicodeScalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }
}
