/// A parsed `?fieldSelector=` (`metadata.name=web,status.phase!=Running`). Like the API server it
/// supports `=`, `==` and `!=`, and backslash escapes (`\,` `\=` `\\`) inside values.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    public struct Requirement: Sendable, Hashable {
        public enum Operator: Sendable, Hashable { case equals, notEquals }
        public var field: String
        public var `operator`: Operator
        public var value: String

        public init(field: String, operator: Operator, value: String) {
            self.field = field
            self.operator = `operator`
            self.value = value
        }
    }

    public var requirements: [Requirement]

    public init(_ requirements: [Requirement]) { self.requirements = requirements }

    public var isEmpty: Bool { requirements.isEmpty }

    /// `fields` holds the selectable fields of one object; a missing field counts as "".
    public func matches(_ fields: [String: String]) -> Bool {
        matches { fields[$0] }
    }

    public func matches(_ lookup: (String) -> String?) -> Bool {
        requirements.allSatisfy { requirement in
            let actual = lookup(requirement.field) ?? ""
            return requirement.operator == .equals ? actual == requirement.value : actual != requirement.value
        }
    }

    public var description: String {
        requirements.map { requirement in
            "\(requirement.field)\(requirement.operator == .equals ? "=" : "!=")\(Self.escape(requirement.value))"
        }.joined(separator: ",")
    }

    public static func parse(_ text: String) throws(SelectorParseError) -> FieldSelector {
        var requirements: [Requirement] = []
        let scalars = Array(text.unicodeScalars)
        var termStart = 0
        for term in try splitTerms(scalars, text: text) {
            defer { termStart += term.count + 1 }
            // Empty terms are skipped, as the API server does ("a=b," is "a=b").
            if term.allSatisfy({ $0.properties.isWhitespace }) { continue }
            requirements.append(try parseTerm(term, at: termStart, text: text))
        }
        return FieldSelector(requirements)
    }

    private static func splitTerms(_ scalars: [Unicode.Scalar], text: String) throws(SelectorParseError) -> [[Unicode.Scalar]] {
        var terms: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                guard index + 1 < scalars.count else {
                    throw SelectorParseError(selector: text, position: index, message: "a trailing '\\' escapes nothing")
                }
                current.append(scalar)
                current.append(scalars[index + 1])
                index += 2
                continue
            }
            if scalar == "," {
                terms.append(current)
                current = []
            } else {
                current.append(scalar)
            }
            index += 1
        }
        terms.append(current)
        return terms
    }

    private static func parseTerm(_ term: [Unicode.Scalar], at offset: Int, text: String) throws(SelectorParseError) -> Requirement {
        var index = 0
        while index < term.count {
            if term[index] == "\\" {
                index += 2
                continue
            }
            let next: Unicode.Scalar? = index + 1 < term.count ? term[index + 1] : nil
            var op: Requirement.Operator?
            var width = 0
            if term[index] == "!" && next == "=" {
                op = .notEquals
                width = 2
            } else if term[index] == "=" && next == "=" {
                op = .equals
                width = 2
            } else if term[index] == "=" {
                op = .equals
                width = 1
            }
            if let op {
                let field = String(String.UnicodeScalarView(term[..<index])).trimmingWhitespace()
                guard !field.isEmpty else {
                    throw SelectorParseError(selector: text, position: offset, message: "missing field name before the operator")
                }
                let value = try unescape(Array(term[(index + width)...]), at: offset + index + width, text: text)
                return Requirement(field: field, operator: op, value: value)
            }
            index += 1
        }
        throw SelectorParseError(
            selector: text, position: offset,
            message: "'\(String(String.UnicodeScalarView(term)))' is not a requirement: expected '=', '==' or '!='")
    }

    private static func unescape(_ value: [Unicode.Scalar], at offset: Int, text: String) throws(SelectorParseError) -> String {
        var result = String.UnicodeScalarView()
        var index = 0
        while index < value.count {
            if value[index] == "\\", index + 1 < value.count {
                let escaped = value[index + 1]
                guard escaped == "\\" || escaped == "," || escaped == "=" else {
                    throw SelectorParseError(selector: text, position: offset + index, message: "invalid escape '\\\(escaped)'; only \\\\, \\, and \\= are allowed")
                }
                result.append(escaped)
                index += 2
            } else {
                result.append(value[index])
                index += 1
            }
        }
        return String(result)
    }

    private static func escape(_ value: String) -> String {
        var result = ""
        for character in value {
            if character == "\\" || character == "," || character == "=" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
