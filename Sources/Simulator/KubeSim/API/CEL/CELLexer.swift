/// A token of a CEL expression and the offset (in Unicode scalars) where it starts.
struct CELToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case int(Int64)
        case double(Double)
        case string(String)
        /// An operator or a delimiter.
        case symbol(String)
        case end
    }

    var kind: Kind
    var offset: Int
}

/// Splits a CEL expression into tokens (the CEL spec's lexical grammar).
struct CELLexer {
    private let source: [Unicode.Scalar]
    private var position = 0

    /// Longest first, so `<=` is not read as `<` and `=`.
    private static let symbols = [
        "&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}",
    ]

    init(_ source: [Unicode.Scalar]) { self.source = source }

    static func tokens(_ source: [Unicode.Scalar]) throws(CELCompileError) -> [CELToken] {
        var lexer = CELLexer(source)
        var tokens: [CELToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        position + ahead < source.count ? source[position + ahead] : nil
    }

    private func error(_ detail: String, at offset: Int) -> CELCompileError {
        .error("Syntax error: \(detail)", at: offset, in: source)
    }

    mutating func next() throws(CELCompileError) -> CELToken {
        skipSpaceAndComments()
        let start = position
        guard let scalar = peek() else { return CELToken(kind: .end, offset: start) }
        if Self.isDigit(scalar) { return try number(start) }
        if scalar == "\"" || scalar == "'" { return CELToken(kind: .string(try string(raw: false)), offset: start) }
        if Self.isIdentifierStart(scalar) {
            // String prefixes: r (raw) and b (bytes), in either order and case.
            var prefix = ""
            var look = 0
            while let next = peek(look), "rRbB".unicodeScalars.contains(next), prefix.count < 2 {
                prefix.unicodeScalars.append(next)
                look += 1
            }
            if !prefix.isEmpty, let quote = peek(look), quote == "\"" || quote == "'" {
                let lowered = prefix.lowercased()
                if lowered.contains("b") {
                    throw CELCompileError.unsupported("bytes literals", CELCompileError.snippet(source, from: start))
                }
                if lowered == "r" {
                    position += look
                    return CELToken(kind: .string(try string(raw: true)), offset: start)
                }
            }
            var name = ""
            while let next = peek(), Self.isIdentifierStart(next) || Self.isDigit(next) {
                name.unicodeScalars.append(next)
                position += 1
            }
            return CELToken(kind: .identifier(name), offset: start)
        }
        for symbol in Self.symbols where Self.matches(symbol, source, at: position) {
            position += symbol.unicodeScalars.count
            return CELToken(kind: .symbol(symbol), offset: start)
        }
        throw error("token recognition error at: '\(scalar)'", at: start)
    }

    private mutating func skipSpaceAndComments() {
        while let scalar = peek() {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}" {
                position += 1
            } else if scalar == "/", peek(1) == "/" {
                while let next = peek(), next != "\n" { position += 1 }
            } else {
                return
            }
        }
    }

    private mutating func number(_ start: Int) throws(CELCompileError) -> CELToken {
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            position += 2
            var digits = ""
            while let next = peek(), next.properties.isASCIIHexDigit {
                digits.unicodeScalars.append(next)
                position += 1
            }
            try rejectUnsigned(start)
            guard let value = Int64(digits, radix: 16) else { throw error("invalid int literal", at: start) }
            return CELToken(kind: .int(value), offset: start)
        }
        var text = digitRun()
        var isDouble = false
        if peek() == ".", let after = peek(1), Self.isDigit(after) {
            position += 1
            text += "." + digitRun()
            isDouble = true
        }
        if let e = peek(), e == "e" || e == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if let digit = peek(signed ? 2 : 1), Self.isDigit(digit) {
                text += "e"
                if signed, let sign = peek(1) { text.unicodeScalars.append(sign) }
                position += signed ? 2 : 1
                text += digitRun()
                isDouble = true
            }
        }
        if isDouble {
            guard let value = Double(text) else { throw error("invalid double literal", at: start) }
            return CELToken(kind: .double(value), offset: start)
        }
        try rejectUnsigned(start)
        guard let value = Int64(text) else { throw error("invalid int literal", at: start) }
        return CELToken(kind: .int(value), offset: start)
    }

    private mutating func rejectUnsigned(_ start: Int) throws(CELCompileError) {
        if let u = peek(), u == "u" || u == "U" {
            throw CELCompileError.unsupported("unsigned integers", String(String.UnicodeScalarView(source[start...position])))
        }
    }

    private mutating func digitRun() -> String {
        var digits = ""
        while let next = peek(), Self.isDigit(next) {
            digits.unicodeScalars.append(next)
            position += 1
        }
        return digits
    }

    /// A quoted string at `position` (its quote), single or triple quoted.
    private mutating func string(raw: Bool) throws(CELCompileError) -> String {
        let start = position
        guard let quote = peek() else { throw error("unterminated string", at: start) }
        let triple = peek(1) == quote && peek(2) == quote
        position += triple ? 3 : 1
        var value = ""
        while true {
            guard let scalar = peek() else { throw error("unterminated string", at: start) }
            if scalar == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                position += triple ? 3 : 1
                return value
            }
            if !triple && (scalar == "\n" || scalar == "\r") { throw error("newline in a quoted string", at: position) }
            if scalar == "\\" && !raw {
                value.unicodeScalars.append(try escape())
                continue
            }
            value.unicodeScalars.append(scalar)
            position += 1
        }
    }

    private mutating func escape() throws(CELCompileError) -> Unicode.Scalar {
        let start = position
        position += 1
        guard let kind = peek() else { throw error("unterminated escape", at: start) }
        position += 1
        switch kind {
        case "a": return "\u{07}"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "v": return "\u{0B}"
        case "\\", "'", "\"", "`", "?": return kind
        case "x", "X": return try codePoint(digits: 2, radix: 16, start: start)
        case "u": return try codePoint(digits: 4, radix: 16, start: start)
        case "U": return try codePoint(digits: 8, radix: 16, start: start)
        case "0"..."3":
            position -= 1
            return try codePoint(digits: 3, radix: 8, start: start)
        default: throw error("invalid escape sequence \\\(kind)", at: start)
        }
    }

    private mutating func codePoint(digits: Int, radix: Int, start: Int) throws(CELCompileError) -> Unicode.Scalar {
        guard position + digits <= source.count else { throw error("invalid escape sequence", at: start) }
        let digitScalars = source[position..<position + digits]
        position += digits
        guard digitScalars.allSatisfy({ $0.properties.isASCIIHexDigit }),
            let value = UInt32(String(String.UnicodeScalarView(digitScalars)), radix: radix), let scalar = Unicode.Scalar(value)
        else {
            throw error("invalid escape sequence", at: start)
        }
        return scalar
    }

    private static func matches(_ symbol: String, _ source: [Unicode.Scalar], at position: Int) -> Bool {
        var index = position
        for scalar in symbol.unicodeScalars {
            guard index < source.count, source[index] == scalar else { return false }
            index += 1
        }
        return true
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }
}
