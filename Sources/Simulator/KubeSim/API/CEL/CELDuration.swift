/// CEL durations: `duration('1h30m')` parses Go's `time.ParseDuration` syntax into nanoseconds.
enum CELDuration {
    private static let units: [String: Int64] = [
        "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
        "m": 60 * 1_000_000_000, "h": 3_600 * 1_000_000_000,
    ]

    /// Nanoseconds, or nil when `text` is not a duration (or overflows, as Go refuses it).
    static func parse(_ text: String) -> Int64? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total: Int64 = 0
        while !rest.isEmpty {
            let whole = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(whole.count)
            var fraction = Substring("")
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix { $0.isASCII && $0.isNumber }
                rest = rest.dropFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { return nil }
            let unitName = rest.prefix { !($0.isASCII && $0.isNumber) && $0 != "." }
            rest = rest.dropFirst(unitName.count)
            guard let unit = units[String(unitName)] else { return nil }
            guard let value = whole.isEmpty ? 0 : Int64(whole) else { return nil }
            let (scaled, overflow) = value.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            // Go keeps the fraction's digits exactly; a double is exact enough for every real unit.
            let fractional = fraction.isEmpty ? 0 : Int64((Double("0." + fraction) ?? 0) * Double(unit))
            let (sum, sumOverflow) = total.addingReportingOverflow(scaled)
            guard !sumOverflow else { return nil }
            let (withFraction, fractionOverflow) = sum.addingReportingOverflow(fractional)
            guard !fractionOverflow else { return nil }
            total = withFraction
        }
        return negative ? -total : total
    }

    /// `string(duration)`: seconds with the fraction cel-go prints, e.g. `90s`, `1.5s`.
    static func format(_ nanoseconds: Int64) -> String {
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        let seconds = magnitude / 1_000_000_000
        let nanos = magnitude % 1_000_000_000
        guard nanos != 0 else { return "\(sign)\(seconds)s" }
        var digits = String(nanos)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(seconds).\(digits)s"
    }
}
