import Foundation

/// The functions the checker admits (`CELChecker.signatures`), with CEL's overloads: any other
/// argument type is "no such overload", as in cel-go when the types were only known at run time.
enum CELFunctions {
    static func call(_ name: String, target: CELValue?, _ arguments: [CELValue]) throws(CELRuntimeError) -> CELValue {
        switch (name, target, arguments.count) {
        case ("size", .some(let value), 0): return try size(value)
        case ("size", nil, 1): return try size(arguments[0])
        case ("string", nil, 1): return .string(try string(arguments[0]))
        case ("type", nil, 1): return .type(arguments[0].type)
        case ("duration", nil, 1): return try duration(arguments[0])
        case ("matches", .some(let value), 1): return .bool(try matches(value, arguments[0]))
        case ("contains", .some(let value), 1):
            let (text, part) = try strings(name, value, arguments[0])
            return .bool(part.isEmpty || Self.find(Array(part.utf8), in: Array(text.utf8)))
        case ("startsWith", .some(let value), 1):
            let (text, prefix) = try strings(name, value, arguments[0])
            return .bool(text.utf8.starts(with: prefix.utf8))
        case ("endsWith", .some(let value), 1):
            let (text, suffix) = try strings(name, value, arguments[0])
            return .bool(text.utf8.reversed().starts(with: suffix.utf8.reversed()))
        default:
            throw CELRuntimeError("no such overload: \(name)")
        }
    }

    static func size(_ value: CELValue) throws(CELRuntimeError) -> CELValue {
        switch value {
        case .string(let text): return .int(Int64(text.unicodeScalars.count))
        case .list(let items): return .int(Int64(items.count))
        case .map(let entries): return .int(Int64(entries.count))
        default: throw .noSuchOverload("size", value)
        }
    }

    static func string(_ value: CELValue) throws(CELRuntimeError) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .duration(let nanoseconds): return CELDuration.format(nanoseconds)
        case .double(let number): return goFormat(number)
        default: throw .noSuchOverload("string", value)
        }
    }

    /// Go's `strconv.FormatFloat(x, 'g', -1, 64)`, as cel-go prints a double: the shortest digits
    /// that read back the same (Swift's `description` has the same ones), in exponent form below
    /// 1e-4 and from 1e6, with an exponent of two digits at least.
    static func goFormat(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Inf" : "+Inf" }
        let sign = number.sign == .minus ? "-" : ""
        if number == 0 { return sign + "0" }
        var mantissa = "\(number.magnitude)"
        var exponent = 0
        if let e = mantissa.firstIndex(of: "e") {
            exponent = Int(mantissa[mantissa.index(after: e)...]) ?? 0
            mantissa = String(mantissa[..<e])
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var digits = parts.joined()
        // The decimal point stands after this many digits.
        var point = parts[0].count + exponent
        while digits.count > 1, digits.hasPrefix("0") {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        let decimalExponent = point - 1
        if decimalExponent < -4 || decimalExponent >= 6 {
            let fraction = digits.count > 1 ? "." + digits.dropFirst() : ""
            let magnitude = String(abs(decimalExponent))
            let padded = magnitude.count < 2 ? "0" + magnitude : magnitude
            return "\(sign)\(digits.prefix(1))\(fraction)e\(decimalExponent < 0 ? "-" : "+")\(padded)"
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        return sign + digits.prefix(point) + "." + digits.dropFirst(point)
    }

    static func duration(_ value: CELValue) throws(CELRuntimeError) -> CELValue {
        switch value {
        case .duration: return value
        case .string(let text):
            guard let nanoseconds = CELDuration.parse(text) else { throw CELRuntimeError("invalid duration: \(text)") }
            return .duration(nanoseconds)
        default: throw .noSuchOverload("duration", value)
        }
    }

    /// RE2's partial match, as CEL's `matches`, with ICU's regular expressions (the same syntax
    /// for everything a CRD pattern uses).
    static func matches(_ value: CELValue, _ pattern: CELValue) throws(CELRuntimeError) -> Bool {
        let (text, expression) = try strings("matches", value, pattern)
        guard let regex = try? NSRegularExpression(pattern: expression) else {
            throw CELRuntimeError("invalid regular expression: \(expression)")
        }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private static func strings(_ name: String, _ left: CELValue, _ right: CELValue) throws(CELRuntimeError) -> (String, String) {
        guard case .string(let a) = left, case .string(let b) = right else { throw .noSuchOverload(name, left, right) }
        return (a, b)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in haystack[start..<start + needle.count].elementsEqual(needle) }
    }
}
