import Foundation

/// A recursive-descent parser for CEL's grammar (cel-spec's langdef), expanding the macros as
/// cel-go does: `has(e.f)`, and `e.all|exists|exists_one|filter(x, p)`. Syntax kubesim does not
/// evaluate (map literals, message construction, optional selection, bytes, unsigned integers)
/// is refused here with a message saying so.
struct CELParser {
    /// Deeper trees (or parentheses) than this are refused: every walk of the tree recurses, and
    /// no real rule comes close.
    static let maximumDepth = 100

    private static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace",
        "return", "var", "void", "while",
    ]

    private let source: [Unicode.Scalar]
    private let tokens: [CELToken]
    private var position = 0
    private var nesting = 0

    static func parse(_ text: String) throws(CELCompileError) -> CELExpression {
        let source = Array(text.unicodeScalars)
        var parser = CELParser(source: source, tokens: try CELLexer.tokens(source))
        let expression = try parser.expression()
        if parser.current.kind != .end { throw parser.syntaxError("extraneous input \(parser.describe(parser.current))") }
        return expression
    }

    private init(source: [Unicode.Scalar], tokens: [CELToken]) {
        self.source = source
        self.tokens = tokens
    }

    // MARK: Tokens

    private var current: CELToken { tokens[min(position, tokens.count - 1)] }

    private mutating func advance() -> CELToken {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    private mutating func accept(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        _ = advance()
        return true
    }

    private mutating func expect(_ symbol: String) throws(CELCompileError) {
        guard accept(symbol) else { throw syntaxError("missing '\(symbol)' at \(describe(current))") }
    }

    private func describe(_ token: CELToken) -> String {
        switch token.kind {
        case .end: return "'<EOF>'"
        case .identifier(let name): return "'\(name)'"
        case .symbol(let symbol): return "'\(symbol)'"
        case .int(let value): return "'\(value)'"
        case .double(let value): return "'\(value)'"
        case .string: return "a string"
        }
    }

    private func syntaxError(_ detail: String, at offset: Int? = nil) -> CELCompileError {
        .error("Syntax error: \(detail)", at: offset ?? current.offset, in: source)
    }

    private func text(from offset: Int) -> String { CELCompileError.snippet(source, from: offset) }

    private func make(_ node: CELExpression.Node, at offset: Int) throws(CELCompileError) -> CELExpression {
        let expression = CELExpression(node, at: offset)
        if expression.depth > Self.maximumDepth {
            throw .unsupported("expressions nested more than \(Self.maximumDepth) deep", text(from: 0))
        }
        return expression
    }

    // MARK: Grammar

    private mutating func expression() throws(CELCompileError) -> CELExpression {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maximumDepth {
            throw .unsupported("expressions nested more than \(Self.maximumDepth) deep", text(from: 0))
        }
        let condition = try binary(level: 0)
        guard isSymbol("?") else { return condition }
        let offset = advance().offset
        let then = try binary(level: 0)
        try expect(":")
        let otherwise = try expression()
        return try make(.conditional(condition, then, otherwise), at: offset)
    }

    /// The binary operators by precedence, loosest first; each level is left-associative.
    private static let levels: [[String: CELBinaryOperator]] = [
        ["||": .or], ["&&": .and],
        ["==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual, "in": .in],
        ["+": .add, "-": .subtract], ["*": .multiply, "/": .divide, "%": .remainder],
    ]

    private mutating func binary(level: Int) throws(CELCompileError) -> CELExpression {
        guard level < Self.levels.count else { return try unary() }
        var left = try binary(level: level + 1)
        while true {
            let spelling: String
            switch current.kind {
            case .symbol(let symbol): spelling = symbol
            case .identifier("in"): spelling = "in"
            default: return left
            }
            guard let op = Self.levels[level][spelling] else { return left }
            let offset = advance().offset
            let right = try binary(level: level + 1)
            left = try make(.binary(op, left, right), at: offset)
        }
    }

    private mutating func unary() throws(CELCompileError) -> CELExpression {
        var operators: [CELToken] = []
        while isSymbol("!") || isSymbol("-") { operators.append(advance()) }
        var operand = try member()
        for token in operators.reversed() {
            operand = try make(token.kind == .symbol("!") ? .not(operand) : .negate(operand), at: token.offset)
        }
        return operand
    }

    private mutating func member() throws(CELCompileError) -> CELExpression {
        var target = try primary()
        while true {
            let dot = current.offset
            if accept(".") {
                if isSymbol("?") { throw .unsupported("optional field selection", text(from: target.offset)) }
                guard case .identifier(let name) = current.kind else {
                    throw syntaxError("no viable alternative at input '.\(describe(current).trimmingCharacters(in: ["'"]))'")
                }
                let nameToken = advance()
                if accept("(") {
                    let arguments = try argumentList(closing: ")")
                    target = try call(name, target: target, arguments, at: nameToken.offset)
                } else {
                    try rejectReserved(name, at: nameToken.offset)
                    target = try make(.select(target, Self.unescape(name)), at: dot)
                }
            } else if isSymbol("[") {
                let offset = advance().offset
                if isSymbol("?") { throw .unsupported("optional indexing", text(from: target.offset)) }
                let index = try expression()
                try expect("]")
                target = try make(.index(target, index), at: offset)
            } else if isSymbol("{") {
                throw .unsupported("message construction", text(from: target.offset))
            } else {
                return target
            }
        }
    }

    private mutating func primary() throws(CELCompileError) -> CELExpression {
        let token = advance()
        switch token.kind {
        case .int(let value): return try make(.literal(.int(value)), at: token.offset)
        case .double(let value): return try make(.literal(.double(value)), at: token.offset)
        case .string(let value): return try make(.literal(.string(value)), at: token.offset)
        case .identifier("true"): return try make(.literal(.bool(true)), at: token.offset)
        case .identifier("false"): return try make(.literal(.bool(false)), at: token.offset)
        case .identifier("null"): return try make(.literal(.null), at: token.offset)
        case .identifier(let name):
            try rejectReserved(name, at: token.offset)
            if accept("(") {
                let arguments = try argumentList(closing: ")")
                return try call(name, target: nil, arguments, at: token.offset)
            }
            return try make(.identifier(name), at: token.offset)
        case .symbol("("):
            let inner = try expression()
            try expect(")")
            return inner
        case .symbol("["):
            let elements = try argumentList(closing: "]")
            return try make(.list(elements), at: token.offset)
        case .symbol("{"): throw .unsupported("map literals", text(from: token.offset))
        case .symbol("."): throw .unsupported("qualified names with a leading dot", text(from: token.offset))
        case .end: throw syntaxError("mismatched input '<EOF>' expecting an expression", at: token.offset)
        case .symbol: throw syntaxError("mismatched input \(describe(token)) expecting an expression", at: token.offset)
        }
    }

    /// Comma-separated expressions up to `closing`; a trailing comma is allowed, as in CEL.
    private mutating func argumentList(closing: String) throws(CELCompileError) -> [CELExpression] {
        var arguments: [CELExpression] = []
        while !accept(closing) {
            arguments.append(try expression())
            if !accept(",") {
                try expect(closing)
                break
            }
        }
        return arguments
    }

    /// A call, or the macro it spells.
    private func call(_ name: String, target: CELExpression?, _ arguments: [CELExpression], at offset: Int) throws(CELCompileError)
        -> CELExpression
    {
        if name == "has", target == nil, arguments.count == 1 {
            guard case .select(let operand, let field) = arguments[0].node else {
                throw syntaxError("invalid argument to has() macro", at: arguments[0].offset)
            }
            return try make(.presence(operand, field), at: offset)
        }
        if let macro = CELMacro(rawValue: name), let target, arguments.count == 2 {
            guard case .identifier(let variable) = arguments[0].node else {
                throw syntaxError("argument must be a simple name", at: arguments[0].offset)
            }
            return try make(.comprehension(macro, range: target, variable: variable, body: arguments[1]), at: offset)
        }
        return try make(.call(name, target: target, arguments), at: offset)
    }

    private func rejectReserved(_ name: String, at offset: Int) throws(CELCompileError) {
        if Self.reserved.contains(name) { throw syntaxError("reserved identifier: \(name)", at: offset) }
    }

    /// Property names are escaped to be CEL identifiers (Kubernetes' `cel.Escape`): a reserved
    /// word as `__word__`, and `__`, `.`, `-`, `/` as `__underscores__`, `__dot__`, `__dash__`, `__slash__`.
    static func unescape(_ name: String) -> String {
        if name.hasPrefix("__"), name.hasSuffix("__"), name.count > 4 {
            let word = String(name.dropFirst(2).dropLast(2))
            if reserved.contains(word) || ["true", "false", "null", "in"].contains(word) { return word }
        }
        guard name.contains("__") else { return name }
        var result = ""
        var rest = Substring(name)
        let escapes = ["__underscores__": "__", "__dot__": ".", "__dash__": "-", "__slash__": "/"]
        outer: while !rest.isEmpty {
            for (escape, replacement) in escapes where rest.hasPrefix(escape) {
                result += replacement
                rest = rest.dropFirst(escape.count)
                continue outer
            }
            result.append(rest.removeFirst())
        }
        return result
    }
}
