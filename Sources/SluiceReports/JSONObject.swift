/// Minimal JSON text building for `--json` output, without Foundation.
///
/// Values are appended in order to one `String`; objects are flat key/value lists.
public struct JSONObject: Sendable {
    private var fields: [(String, String)] = []

    public init() {}

    public mutating func set(_ key: String, _ value: String?) {
        fields.append((key, value.map(JSONObject.quote) ?? "null"))
    }
    public mutating func set<I: BinaryInteger>(_ key: String, _ value: I?) {
        fields.append((key, value.map { String($0) } ?? "null"))
    }
    public mutating func set(_ key: String, _ value: Bool) {
        fields.append((key, value ? "true" : "false"))
    }
    public mutating func set(_ key: String, _ value: Double?, decimals: Int = 3) {
        guard let value, value.isFinite else { fields.append((key, "null")); return }
        fields.append((key, JSONObject.format(value, decimals: decimals)))
    }
    public mutating func set(_ key: String, object: JSONObject?) {
        fields.append((key, object?.text ?? "null"))
    }
    public mutating func set(_ key: String, strings: [String]) {
        fields.append((key, "[" + strings.map(JSONObject.quote).joined(separator: ",") + "]"))
    }
    public mutating func set(_ key: String, array: [JSONObject]) {
        fields.append((key, "[" + array.map(\.text).joined(separator: ",") + "]"))
    }

    /// The object as one line of JSON.
    public var text: String {
        "{" + fields.map { JSONObject.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// A JSON string literal for `s`, escaping quotes, backslashes and control characters.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let h = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Fixed-point decimal text for a finite double (no Foundation `String(format:)`).
    public static func format(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e18 else { return String(value) }
        let n = Int64(scaled)
        let whole = n / Int64(scale)
        var frac = String(n % Int64(scale))
        while frac.count < decimals { frac = "0" + frac }
        let sign = value < 0 && n != 0 ? "-" : ""
        return decimals == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(frac)"
    }
}
