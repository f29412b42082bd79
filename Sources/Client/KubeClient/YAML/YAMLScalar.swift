import KubeModels

/// YAML 1.1 scalar resolution, as go-yaml v2 (and so kubectl's sigs.k8s.io/yaml) applies it:
/// only plain (unquoted) scalars are typed; quoted and block scalars are always strings.
enum YAMLScalar {
    static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]
    static let trues: Set<String> = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    static let falses: Set<String> = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]

    /// `tag` is the explicit tag (`tag:yaml.org,2002:str` for `!!str`), if any.
    static func resolve(_ text: String, plain: Bool, tag: String?) -> JSONValue {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str", "tag:yaml.org,2002:binary", "!": return .string(text)
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool":
                if trues.contains(text) { return .bool(true) }
                if falses.contains(text) { return .bool(false) }
                return .string(text)
            case "tag:yaml.org,2002:int": return integer(text).map(JSONValue.int) ?? .string(text)
            case "tag:yaml.org,2002:float":
                if let value = integer(text) { return .double(Double(value)) }
                return float(text).map(JSONValue.double) ?? .string(text)
            default: break
            }
        }
        guard plain else { return .string(text) }
        if nulls.contains(text) { return .null }
        if trues.contains(text) { return .bool(true) }
        if falses.contains(text) { return .bool(false) }
        guard let first = text.utf8.first, isNumberStart(first) else { return .string(text) }
        if let value = integer(text) { return .int(value) }
        if let value = float(text) { return .double(value) }
        return .string(text)
    }

    private static func isNumberStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".")
    }

    /// Decimal, `0x` hex, `0b` binary and leading-zero octal, with `_` separators allowed.
    static func integer(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty, !body.hasPrefix("_") else { return nil }
        var radix = 10
        if body.hasPrefix("0x") {
            radix = 16
            body = body.dropFirst(2)
        } else if body.hasPrefix("0b") {
            radix = 2
            body = body.dropFirst(2)
        } else if body.count > 1, body.hasPrefix("0") {
            radix = 8
            body = body.dropFirst()
        }
        let digits = body.filter { $0 != "_" }
        guard !digits.isEmpty, let magnitude = UInt64(digits, radix: radix) else { return nil }
        if negative {
            if magnitude <= UInt64(Int64.max) { return -Int64(magnitude) }
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// `[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?`, plus `.inf` and `.nan`.
    static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        let cleaned = text.filter { $0 != "_" }
        var sawDigit = false
        var sawDot = false
        var sawExponent = false
        var previous: Character = " "
        for (offset, character) in cleaned.enumerated() {
            switch character {
            case "0"..."9": sawDigit = true
            case ".":
                if sawDot || sawExponent { return nil }
                sawDot = true
            case "e", "E":
                if sawExponent || !sawDigit { return nil }
                sawExponent = true
            case "+", "-":
                if offset != 0 && previous != "e" && previous != "E" { return nil }
            default: return nil
            }
            previous = character
        }
        // A YAML 1.1 float needs a dot ("1e3" is a string in go-yaml v2).
        guard sawDigit, sawDot else { return nil }
        return Double(cleaned)
    }
}
