/// A type an option value can be converted to from its string form.
///
/// Conversions follow oslo.config: integers and floats in decimal, booleans as
/// `true/false`, `yes/no`, `on/off`, `1/0` (any case), lists comma-separated.
/// Conform your own enums to read service-specific options with ``CirrusConfigReader``.
public protocol ConfigOptionValue: Sendable {
    /// Converts the raw string, or returns nil when it is not a valid value.
    init?(configOptionValue: String)
    /// What a valid value looks like, for error messages (e.g. "an integer").
    static var expectedValueDescription: String { get }
}

extension String: ConfigOptionValue {
    /// Every string is valid.
    public init?(configOptionValue: String) { self = configOptionValue }
    /// "a string".
    public static var expectedValueDescription: String { "a string" }
}

extension Int: ConfigOptionValue {
    /// Decimal integer, surrounding whitespace ignored.
    public init?(configOptionValue: String) { self.init(configOptionValue.trimmingWhitespace()) }
    /// "an integer".
    public static var expectedValueDescription: String { "an integer" }
}

extension Double: ConfigOptionValue {
    /// Decimal number; `nan` and infinities are refused.
    public init?(configOptionValue: String) {
        guard let value = Double(configOptionValue.trimmingWhitespace()), value.isFinite else { return nil }
        self = value
    }
    /// "a number".
    public static var expectedValueDescription: String { "a number" }
}

extension Bool: ConfigOptionValue {
    /// `true/false`, `yes/no`, `on/off`, `1/0`, case-insensitive (oslo.config's BoolOpt).
    public init?(configOptionValue: String) {
        switch configOptionValue.trimmingWhitespace().lowercased() {
        case "true", "yes", "on", "1": self = true
        case "false", "no", "off", "0": self = false
        default: return nil
        }
    }
    /// "true or false".
    public static var expectedValueDescription: String { "true or false (also yes/no, on/off, 1/0)" }
}

extension Duration: ConfigOptionValue {
    /// A non-negative number of seconds, fractions allowed (`10`, `0.5`).
    public init?(configOptionValue: String) {
        guard let seconds = Double(configOptionValue: configOptionValue), seconds >= 0 else { return nil }
        self = .milliseconds(Int64((seconds * 1000).rounded()))
    }
    /// "a number of seconds".
    public static var expectedValueDescription: String { "a non-negative number of seconds" }
}

extension Array: ConfigOptionValue where Element: ConfigOptionValue {
    /// Comma-separated elements, each trimmed; an empty string is an empty list.
    public init?(configOptionValue: String) {
        var result: [Element] = []
        for item in configOptionValue.split(separator: ",") {
            let trimmed = item.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            guard let element = Element(configOptionValue: trimmed) else { return nil }
            result.append(element)
        }
        self = result
    }
    /// "a comma-separated list of ...".
    public static var expectedValueDescription: String {
        "a comma-separated list of values, each \(Element.expectedValueDescription)"
    }
}

extension ConfigOptionValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    /// One of the raw values, exactly.
    public init?(configOptionValue: String) { self.init(rawValue: configOptionValue.trimmingWhitespace()) }
    /// "one of a, b, c".
    public static var expectedValueDescription: String {
        "one of " + allCases.map { $0.rawValue }.joined(separator: ", ")
    }
}
