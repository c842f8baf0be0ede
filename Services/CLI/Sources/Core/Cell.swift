import Messaging

/// One value in an output row: what machines get (`-f json`) and what people read (tables, `-f value`).
///
/// Most cells are plain JSON values whose human text follows openstackclient's rendering
/// (`None`, `True`, lists joined by `, `, dicts as `k='v'`); formatted columns such as a server's
/// Networks carry their own human text but keep the structured value for JSON.
public struct Cell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// The value `-f json` prints.
    public var machine: JSONValue
    /// The text tables and `-f value` print.
    public var human: String

    public init(_ machine: JSONValue, human: String? = nil) {
        self.machine = machine
        self.human = human ?? Cell.display(machine)
    }

    public init(stringLiteral value: String) { self.init(.string(value)) }
    public init(integerLiteral value: Int64) { self.init(.int(value)) }

    /// A text cell.
    public static func text(_ s: String) -> Cell { Cell(.string(s)) }

    /// openstackclient's human text for a JSON value.
    public static func display(_ value: JSONValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? "\(Int64(d)).0" : "\(d)"
        case .string(let s): return s
        case .array(let a): return a.map(display).joined(separator: ", ")
        case .object(let o):
            return o.keys.sorted().map { k in
                let v = o[k]!
                if case .string(let s) = v { return "\(k)='\(s)'" }
                return "\(k)='\(display(v))'"
            }.joined(separator: ", ")
        }
    }
}

extension JSONValue {
    /// The array inside an `.array`, else nil.
    var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The text of a string, or the digits of a number (ids arrive as either).
    var idString: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        default: return nil
        }
    }
}
