/// The label selector grammar of `k8s.io/apimachinery/pkg/labels`:
///   selector    := requirement ( ',' requirement )*  |  ''
///   requirement := '!' KEY | KEY | KEY ('=' | '==' | '!=') VALUE | KEY ('in' | 'notin') '(' VALUES ')'
///                | KEY ('>' | '<') INTEGER
struct LabelSelectorParser {
    enum Token: Equatable {
        case identifier(String)
        case not, notEquals, equals, doubleEquals, comma, open, close, inKeyword, notInKeyword, greater, less, end
    }

    private let text: String
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var tokenStart = 0

    init(_ text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    mutating func parse() throws(SelectorParseError) -> LabelSelectorRequirementSet {
        var requirements: [LabelRequirement] = []
        if try peek() == .end { return LabelSelectorRequirementSet([]) }
        while true {
            requirements.append(try parseRequirement())
            let next = try nextToken()
            switch next {
            case .end: return LabelSelectorRequirementSet(requirements)
            case .comma:
                if try peek() == .end { throw failure("expected a requirement after ','") }
            default: throw failure("expected ',' or the end of the selector, found \(describe(next))")
            }
        }
    }

    private mutating func parseRequirement() throws(SelectorParseError) -> LabelRequirement {
        var token = try nextToken()
        if token == .not {
            token = try nextToken()
            let key = try requireKey(token)
            return LabelRequirement(key: key, operator: .doesNotExist, values: [])
        }
        let key = try requireKey(token)
        switch try peek() {
        case .comma, .end:
            return LabelRequirement(key: key, operator: .exists, values: [])
        default:
            break
        }
        let op = try nextToken()
        switch op {
        case .equals, .doubleEquals, .notEquals:
            let value = try parseSingleValue()
            return LabelRequirement(key: key, operator: op == .notEquals ? .notEquals : .equals, values: [value])
        case .greater, .less:
            let value = try parseSingleValue()
            guard Int64(value) != nil else { throw failure("'\(value)' must be an integer for '\(op == .greater ? ">" : "<")'") }
            return LabelRequirement(key: key, operator: op == .greater ? .greaterThan : .lessThan, values: [value])
        case .inKeyword, .notInKeyword:
            let values = try parseValueSet()
            return LabelRequirement(key: key, operator: op == .inKeyword ? .in : .notIn, values: values)
        default:
            throw failure("expected an operator ('=', '==', '!=', 'in', 'notin', '>', '<') after key '\(key)', found \(describe(op))")
        }
    }

    private mutating func requireKey(_ token: Token) throws(SelectorParseError) -> String {
        guard case .identifier(let key) = token else { throw failure("expected a label key, found \(describe(token))") }
        if let problem = LabelSyntax.keyProblem(key) { throw failure("key '\(key)': \(problem)") }
        return key
    }

    /// A value after `=`: it may be empty (`app=` selects labels whose value is empty).
    private mutating func parseSingleValue() throws(SelectorParseError) -> String {
        switch try peek() {
        case .comma, .end: return ""
        case .identifier(let value):
            _ = try nextToken()
            if let problem = LabelSyntax.valueProblem(value) { throw failure("value '\(value)': \(problem)") }
            return value
        case let other:
            _ = try nextToken()
            throw failure("expected a value, found \(describe(other))")
        }
    }

    private mutating func parseValueSet() throws(SelectorParseError) -> [String] {
        let open = try nextToken()
        guard open == .open else { throw failure("expected '(' after 'in'/'notin', found \(describe(open))") }
        var values: [String] = []
        var expectValue = true
        while true {
            let token = try nextToken()
            switch token {
            case .identifier(let value) where expectValue:
                if let problem = LabelSyntax.valueProblem(value) { throw failure("value '\(value)': \(problem)") }
                values.append(value)
                expectValue = false
            case .comma:
                if expectValue { values.append("") }
                expectValue = true
            case .close:
                if expectValue && !values.isEmpty { values.append("") }
                if values.isEmpty { throw failure("a set of values must not be empty") }
                return values
            case .end:
                throw failure("missing ')' to close the set of values")
            default:
                throw failure("expected a value, ',' or ')', found \(describe(token))")
            }
        }
    }

    private mutating func peek() throws(SelectorParseError) -> Token {
        let saved = (position, tokenStart)
        let token = try nextToken()
        (position, tokenStart) = saved
        return token
    }

    private mutating func nextToken() throws(SelectorParseError) -> Token {
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
        tokenStart = position
        guard position < scalars.count else { return .end }
        let scalar = scalars[position]
        let next: Unicode.Scalar? = position + 1 < scalars.count ? scalars[position + 1] : nil
        switch scalar {
        case "!":
            if next == "=" { position += 2; return .notEquals }
            position += 1
            return .not
        case "=":
            if next == "=" { position += 2; return .doubleEquals }
            position += 1
            return .equals
        case ",": position += 1; return .comma
        case "(": position += 1; return .open
        case ")": position += 1; return .close
        case ">": position += 1; return .greater
        case "<": position += 1; return .less
        default:
            var identifier = String.UnicodeScalarView()
            while position < scalars.count, !Self.isSpecial(scalars[position]) {
                identifier.append(scalars[position])
                position += 1
            }
            let word = String(identifier)
            if word == "in" { return .inKeyword }
            if word == "notin" { return .notInKeyword }
            return .identifier(word)
        }
    }

    private static func isSpecial(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || "!=,()<>".unicodeScalars.contains(scalar)
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .identifier(let word): return "'\(word)'"
        case .not: return "'!'"
        case .notEquals: return "'!='"
        case .equals: return "'='"
        case .doubleEquals: return "'=='"
        case .comma: return "','"
        case .open: return "'('"
        case .close: return "')'"
        case .inKeyword: return "'in'"
        case .notInKeyword: return "'notin'"
        case .greater: return "'>'"
        case .less: return "'<'"
        case .end: return "the end of the selector"
        }
    }

    private func failure(_ message: String) -> SelectorParseError {
        SelectorParseError(selector: text, position: tokenStart, message: message)
    }
}
