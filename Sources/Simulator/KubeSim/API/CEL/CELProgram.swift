import KubeModels

/// A rule's expression, parsed and checked against the schema of the node it is declared on.
struct CELProgram: Sendable {
    let expression: CELExpression
    /// A rule that reads `oldSelf` is a transition rule: evaluated only on an update with an old value.
    let usesOldSelf: Bool

    init(_ source: String, schema: JSONValue, isResource: Bool) throws(CELCompileError) {
        expression = try CELParser.parse(source)
        try CELChecker.check(expression, source: source, schema: schema, isResource: isResource)
        usesOldSelf = expression.usesOldSelf
    }

    func evaluate(self value: CELValue, oldSelf: CELValue?) throws(CELRuntimeError) -> CELValue {
        var variables = ["self": value]
        if let oldSelf { variables["oldSelf"] = oldSelf }
        return try CELEvaluator(variables: variables).evaluate(expression)
    }
}
