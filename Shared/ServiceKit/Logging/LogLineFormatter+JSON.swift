import Logging

extension LogLineFormatter {
    /// Field names of the JSON format that metadata cannot take; a clashing metadata key is
    /// written as `metadata.<key>`.
    static let reservedJSONFields: Set<String> = ["time", "pid", "level", "logger", "message"]

    /// `{"time":"…","pid":4242,"level":"INFO","logger":"cirrus.compute","message":"…","request.id":"req-…",…}`.
    func jsonLine(_ record: LogRecord) -> String {
        var out = "{\"time\":"
        Self.appendJSONString(Self.isoTime(record.timestamp), to: &out)
        out += ",\"pid\":\(record.pid),\"level\":"
        Self.appendJSONString(Self.levelName(record.level), to: &out)
        out += ",\"logger\":"
        Self.appendJSONString(record.label, to: &out)
        out += ",\"message\":"
        Self.appendJSONString(record.message, to: &out)
        for key in record.metadata.keys.sorted() {
            out += ","
            Self.appendJSONString(Self.reservedJSONFields.contains(key) ? "metadata.\(key)" : key, to: &out)
            out += ":"
            Self.appendJSON(record.metadata[key]!, to: &out)
        }
        out += "}"
        return out
    }

    private static func appendJSON(_ value: Logger.MetadataValue, to out: inout String) {
        switch value {
        case .string(let string):
            appendJSONString(string, to: &out)
        case .stringConvertible(let convertible):
            appendJSONString(convertible.description, to: &out)
        case .array(let values):
            out += "["
            for (index, element) in values.enumerated() {
                if index > 0 { out += "," }
                appendJSON(element, to: &out)
            }
            out += "]"
        case .dictionary(let dictionary):
            out += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                appendJSONString(key, to: &out)
                out += ":"
                appendJSON(dictionary[key]!, to: &out)
            }
            out += "}"
        }
    }

    static func appendJSONString(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
