/// Parses durations as users write them in pause steps: `60s`, `5m`, `1h30m`, `90s`.
/// Whole seconds only: a release step shorter than a second is not meaningful.
public enum DurationParser {
    public static func seconds(_ text: String) throws(DurationParseError) -> Int {
        guard !text.isEmpty else { throw DurationParseError(value: text, problem: "empty") }
        var total = 0
        var digits = ""
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
                continue
            }
            guard !digits.isEmpty, let amount = Int(digits) else {
                throw DurationParseError(value: text, problem: "expected a number before \"\(character)\"")
            }
            let unit: Int
            switch character {
            case "h": unit = 3600
            case "m": unit = 60
            case "s": unit = 1
            default: throw DurationParseError(value: text, problem: "unknown unit \"\(character)\"")
            }
            let (product, overflow1) = amount.multipliedReportingOverflow(by: unit)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            guard !overflow1, !overflow2 else { throw DurationParseError(value: text, problem: "too large") }
            total = sum
            digits = ""
        }
        guard digits.isEmpty else { throw DurationParseError(value: text, problem: "missing unit after \(digits)") }
        return total
    }
}

/// A duration string that is not of the form `<number><h|m|s>...`.
public struct DurationParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var value: String
    public var problem: String
    public init(value: String, problem: String) {
        self.value = value
        self.problem = problem
    }
    public var description: String {
        "invalid duration \"\(value)\" (\(problem)): use a number with a unit, e.g. 30s, 5m, 1h30m"
    }
}
