/// Why a rule cannot be compiled. A real API server refuses the CRD for the same syntax and
/// reference errors; `unsupported` is kubesim's own refusal of valid CEL it cannot evaluate, so
/// such a CRD is refused when stored instead of its rule being skipped at admission.
struct CELCompileError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    var description: String { message }

    /// cel-go's form, `ERROR: <input>:line:column: …`, which the API server quotes.
    static func error(_ detail: String, at offset: Int, in source: [Unicode.Scalar]) -> CELCompileError {
        var line = 1
        var column = 1
        for scalar in source.prefix(max(0, offset)) {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return CELCompileError(message: "compilation failed: ERROR: <input>:\(line):\(column): \(detail)")
    }

    static func unsupported(_ what: String, _ construct: String) -> CELCompileError {
        CELCompileError(message: "kubesim's CEL evaluator does not support \(what): \(construct)")
    }

    /// The rule from `offset` on, shortened, to quote a construct that has no name of its own.
    static func snippet(_ source: [Unicode.Scalar], from offset: Int) -> String {
        let rest = source[min(max(0, offset), source.count)...]
        let text = String(String.UnicodeScalarView(rest.prefix(32)))
        return rest.count > 32 ? text + "…" : text
    }
}

/// A rule that could not be evaluated: the API server reports it as the rule failing, with this
/// text ("no such key: x", "no such overload", …) before "evaluating rule: …".
struct CELRuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    var description: String { message }

    init(_ message: String) { self.message = message }

    static func noSuchKey(_ key: String) -> CELRuntimeError { CELRuntimeError("no such key: \(key)") }
    static func noSuchOverload(_ function: String, _ arguments: CELValue...) -> CELRuntimeError {
        CELRuntimeError("no such overload: \(function)(\(arguments.map(\.typeName).joined(separator: ", ")))")
    }
}
