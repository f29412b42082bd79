/// A parsed CEL expression. `offset` points into the source for messages; `depth` bounds the
/// recursion of everything that walks the tree (checker, evaluator), which the parser enforces.
struct CELExpression: Sendable {
    indirect enum Node: Sendable {
        case literal(CELValue)
        case identifier(String)
        /// `e.f`, with an escaped property name (`__dash__`, `__namespace__`, …) already unescaped.
        case select(CELExpression, String)
        /// The `has(e.f)` macro.
        case presence(CELExpression, String)
        case index(CELExpression, CELExpression)
        /// `f(args)` or `target.f(args)`; which functions exist is the checker's business.
        case call(String, target: CELExpression?, [CELExpression])
        case not(CELExpression)
        case negate(CELExpression)
        case binary(CELBinaryOperator, CELExpression, CELExpression)
        case conditional(CELExpression, CELExpression, CELExpression)
        case list([CELExpression])
        /// `range.all(x, body)` and the other iterating macros.
        case comprehension(CELMacro, range: CELExpression, variable: String, body: CELExpression)
    }

    var node: Node
    var offset: Int
    var depth: Int

    init(_ node: Node, at offset: Int) {
        self.node = node
        self.offset = offset
        self.depth = 1 + Self.children(of: node).reduce(0) { max($0, $1.depth) }
    }

    static func children(of node: Node) -> [CELExpression] {
        switch node {
        case .literal, .identifier: return []
        case .select(let target, _), .presence(let target, _), .not(let target), .negate(let target): return [target]
        case .index(let target, let index): return [target, index]
        case .call(_, let target, let arguments): return (target.map { [$0] } ?? []) + arguments
        case .binary(_, let left, let right): return [left, right]
        case .conditional(let condition, let then, let otherwise): return [condition, then, otherwise]
        case .list(let elements): return elements
        case .comprehension(_, let range, _, let body): return [range, body]
        }
    }

    /// Whether the expression reads `oldSelf`, which makes its rule a transition rule.
    var usesOldSelf: Bool {
        if case .identifier("oldSelf") = node { return true }
        return Self.children(of: node).contains { $0.usesOldSelf }
    }
}

enum CELBinaryOperator: String, Sendable {
    case and = "&&", or = "||"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", `in`
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
}

/// The iterating macros kubesim evaluates (`map` and the two-variable forms are not among them).
enum CELMacro: String, Sendable, CaseIterable {
    case all, exists, existsOne = "exists_one", filter
}
