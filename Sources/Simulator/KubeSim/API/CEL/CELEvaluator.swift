/// Evaluates a checked expression with CEL's run-time semantics: `&&` and `||` are commutative
/// over errors (`false && error` is false either way round), as are `all` and `exists` over
/// their elements; a missing field or key is "no such key"; integer overflow is an error.
struct CELEvaluator {
    var variables: [String: CELValue]

    func evaluate(_ expression: CELExpression) throws(CELRuntimeError) -> CELValue {
        switch expression.node {
        case .literal(let value): return value
        case .identifier(let name):
            if let value = variables[name] { return value }
            if let type = CELType(rawValue: name) { return .type(type) }
            throw CELRuntimeError("no such attribute: \(name)")
        case .select(let target, let field):
            let container = try evaluate(target)
            guard case .map(let entries) = container else {
                throw CELRuntimeError("type '\(container.typeName)' does not support field selection")
            }
            guard let value = entries[field] else { throw .noSuchKey(field) }
            return value
        case .presence(let target, let field):
            let value = try evaluate(target)
            guard case .map(let entries) = value else { throw .noSuchOverload("has", value) }
            return .bool(entries[field] != nil)
        case .index(let target, let index): return try Self.index(try evaluate(target), try evaluate(index))
        case .call(let name, let target, let arguments):
            var receiver: CELValue?
            if let target { receiver = try evaluate(target) }
            var values: [CELValue] = []
            for argument in arguments { values.append(try evaluate(argument)) }
            return try CELFunctions.call(name, target: receiver, values)
        case .not(let operand):
            let value = try evaluate(operand)
            guard case .bool(let flag) = value else { throw .noSuchOverload("!_", value) }
            return .bool(!flag)
        case .negate(let operand):
            switch try evaluate(operand) {
            case .int(let number):
                guard number != .min else { throw CELRuntimeError("integer overflow") }
                return .int(-number)
            case .double(let number): return .double(-number)
            case .duration(let number):
                guard number != .min else { throw CELRuntimeError("integer overflow") }
                return .duration(-number)
            case let other: throw .noSuchOverload("-_", other)
            }
        case .binary(.and, let left, let right): return try logical(left, right, absorbing: false)
        case .binary(.or, let left, let right): return try logical(left, right, absorbing: true)
        case .binary(let op, let left, let right): return try Self.binary(op, try evaluate(left), try evaluate(right))
        case .conditional(let condition, let then, let otherwise):
            let value = try evaluate(condition)
            guard case .bool(let flag) = value else { throw .noSuchOverload("_?_:_", value) }
            return try evaluate(flag ? then : otherwise)
        case .list(let elements):
            var values: [CELValue] = []
            for element in elements { values.append(try evaluate(element)) }
            return .list(values)
        case .comprehension(let macro, let range, let variable, let body):
            return try comprehension(macro, try evaluate(range), variable, body)
        }
    }

    /// `&&` (absorbing false) and `||` (absorbing true): the absorbing value on either side wins
    /// over an error on the other.
    private func logical(_ left: CELExpression, _ right: CELExpression, absorbing: Bool) throws(CELRuntimeError) -> CELValue {
        let symbol = absorbing ? "_||_" : "_&&_"
        var failure: CELRuntimeError?
        for operand in [left, right] {
            do {
                let value = try evaluate(operand)
                guard case .bool(let flag) = value else {
                    failure = failure ?? .noSuchOverload(symbol, value)
                    continue
                }
                if flag == absorbing { return .bool(absorbing) }
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return .bool(!absorbing)
    }

    private func comprehension(_ macro: CELMacro, _ range: CELValue, _ variable: String, _ body: CELExpression)
        throws(CELRuntimeError) -> CELValue
    {
        let elements: [CELValue]
        switch range {
        case .list(let items): elements = items
        case .map(let entries): elements = entries.keys.sorted().map { .string($0) }
        default: throw .noSuchOverload(macro.rawValue, range)
        }
        var scope = self
        func predicate(_ element: CELValue) throws(CELRuntimeError) -> Bool {
            scope.variables[variable] = element
            let value = try scope.evaluate(body)
            guard case .bool(let flag) = value else { throw .noSuchOverload(macro.rawValue, value) }
            return flag
        }
        switch macro {
        case .all, .exists:
            // An element deciding the answer wins over an error on another element.
            let decisive = macro == .exists
            var failure: CELRuntimeError?
            for element in elements {
                do {
                    if try predicate(element) == decisive { return .bool(decisive) }
                } catch {
                    failure = failure ?? error
                }
            }
            if let failure { throw failure }
            return .bool(!decisive)
        case .existsOne:
            var count = 0
            for element in elements {
                if try predicate(element) { count += 1 }
            }
            return .bool(count == 1)
        case .filter:
            var kept: [CELValue] = []
            for element in elements {
                if try predicate(element) { kept.append(element) }
            }
            return .list(kept)
        }
    }

    static func index(_ container: CELValue, _ index: CELValue) throws(CELRuntimeError) -> CELValue {
        switch (container, index) {
        case (.list(let items), .int(let position)):
            guard position >= 0, position < items.count else { throw CELRuntimeError("index out of bounds: \(position)") }
            return items[Int(position)]
        case (.list(let items), .double(let position)) where position.rounded() == position:
            guard position >= 0, position < Double(items.count) else { throw CELRuntimeError("index out of bounds: \(position)") }
            return items[Int(position)]
        case (.map(let entries), .string(let key)):
            guard let value = entries[key] else { throw .noSuchKey(key) }
            return value
        default: throw .noSuchOverload("_[_]", container, index)
        }
    }

    static func binary(_ op: CELBinaryOperator, _ left: CELValue, _ right: CELValue) throws(CELRuntimeError) -> CELValue {
        let symbol = "_\(op.rawValue)_"
        switch op {
        case .equal: return .bool(CELValue.equal(left, right))
        case .notEqual: return .bool(!CELValue.equal(left, right))
        case .less: return .bool(try CELValue.compare(left, right, symbol) < 0)
        case .lessOrEqual: return .bool(try CELValue.compare(left, right, symbol) <= 0)
        case .greater: return .bool(try CELValue.compare(left, right, symbol) > 0)
        case .greaterOrEqual: return .bool(try CELValue.compare(left, right, symbol) >= 0)
        case .in:
            switch right {
            case .list(let items): return .bool(items.contains { CELValue.equal(left, $0) })
            case .map(let entries):
                guard case .string(let key) = left else { return .bool(false) }
                return .bool(entries[key] != nil)
            default: throw .noSuchOverload("@in", left, right)
            }
        case .add, .subtract, .multiply, .divide, .remainder: return try arithmetic(op, left, right, symbol)
        case .and, .or: throw .noSuchOverload(symbol, left, right)
        }
    }

    private static func arithmetic(_ op: CELBinaryOperator, _ left: CELValue, _ right: CELValue, _ symbol: String)
        throws(CELRuntimeError) -> CELValue
    {
        switch (op, left, right) {
        case (_, .int(let a), .int(let b)): return .int(try integer(op, a, b))
        case (_, .duration(let a), .duration(let b)) where op == .add || op == .subtract: return .duration(try integer(op, a, b))
        case (.add, .double(let a), .double(let b)): return .double(a + b)
        case (.subtract, .double(let a), .double(let b)): return .double(a - b)
        case (.multiply, .double(let a), .double(let b)): return .double(a * b)
        case (.divide, .double(let a), .double(let b)): return .double(a / b)
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        case (.add, .list(let a), .list(let b)): return .list(a + b)
        default: throw .noSuchOverload(symbol, left, right)
        }
    }

    private static func integer(_ op: CELBinaryOperator, _ a: Int64, _ b: Int64) throws(CELRuntimeError) -> Int64 {
        let result: (partialValue: Int64, overflow: Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .divide:
            guard b != 0 else { throw CELRuntimeError("division by zero") }
            result = a.dividedReportingOverflow(by: b)
        case .remainder:
            guard b != 0 else { throw CELRuntimeError("modulus by zero") }
            result = a.remainderReportingOverflow(dividingBy: b)
        default: throw .noSuchOverload("_\(op.rawValue)_", .int(a), .int(b))
        }
        guard !result.overflow else { throw CELRuntimeError("integer overflow") }
        return result.partialValue
    }
}
