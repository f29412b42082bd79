import KubeModels
import Testing

@testable import KubeSim

/// CEL's run-time semantics as cel-go has them, for the subset kubesim evaluates.
@Suite("CEL: evaluating expressions")
struct CELEvaluationTests {
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "name": ["type": "string"], "count": ["type": "integer"], "ratio": ["type": "number"],
            "port": ["x-kubernetes-int-or-string": true],
            "labels": ["type": "object", "additionalProperties": ["type": "string"]],
            "tags": ["type": "array", "items": ["type": "string"]],
            "refs": ["type": "array", "items": ["type": "object", "properties": ["namespace": ["type": "string"], "name": ["type": "string"]]]],
            "timeout": ["type": "string"],
        ],
    ]

    static let value: JSONValue = [
        "name": "web", "count": 3, "ratio": 2, "port": 8080, "labels": ["app": "web", "tier": "front"], "tags": ["a", "b", "c"],
        "refs": [["namespace": "x", "name": "a"], ["name": "b"]], "timeout": "1m30s",
    ]

    func evaluate(_ rule: String, _ value: JSONValue = value) throws -> CELValue {
        try CELProgram(rule, schema: Self.schema, isResource: false).evaluate(self: CELValue(value, schema: Self.schema), oldSelf: nil)
    }

    func holds(_ rule: String) throws -> Bool {
        guard case .bool(let result) = try evaluate(rule) else {
            Issue.record("\(rule) is not a bool")
            return false
        }
        return result
    }

    func failure(_ rule: String, _ value: JSONValue = value) -> String? {
        do {
            _ = try evaluate(rule, value)
            return nil
        } catch let error as CELRuntimeError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "these hold",
        arguments: [
            "self.name == 'web' && self.count == 3 && self.count != 4",
            "self.count > 2 && self.count >= 3 && self.count < 4 && self.count <= 3",
            "self.ratio == 2.0 && type(self.ratio) == double && self.ratio == 2 && self.count < 3.5",
            "type(self.port) == int && type(self.name) == string && type(self.labels) == map && type(self.tags) == list",
            "has(self.labels) && has(self.labels.app) && !has(self.labels.zone)",
            "'app' in self.labels && !('zone' in self.labels) && self.labels['app'] == 'web' && self.labels.tier == 'front'",
            "'b' in self.tags && self.tags[2] == 'c' && size(self.tags) == 3 && self.tags.size() == 3",
            "self.name in ['api', 'web'] && !(self.count in [1, 2])",
            "self.tags.all(t, size(t) == 1) && self.tags.exists(t, t == 'c') && !self.tags.exists(t, t == 'd')",
            "self.tags.exists_one(t, t > 'b') && !self.tags.exists_one(t, t >= 'b')",
            "self.tags.filter(t, t != 'b') == ['a', 'c'] && self.labels.filter(k, k.startsWith('t')) == ['tier']",
            "self.labels.all(k, self.labels[k].size() > 2)",
            "self.refs.exists(r, has(r.__namespace__) && r.__namespace__ == 'x') && !has(self.refs[1].__namespace__)",
            "string(self.port) == '8080' && string(true) == 'true' && string('x') == 'x' && string(2.0) == '2' && string(-3) == '-3'",
            "self.name.matches('^w') && !self.name.matches('^e') && self.name.matches('e')",
            "self.name.contains('eb') && self.name.startsWith('we') && self.name.endsWith('eb') && 'é'.size() == 1",
            "duration(self.timeout) > duration('90s') == false && duration(self.timeout) == duration('90s') && duration('1h') > duration('59m')",
            "string(duration('1m30s')) == '90s' && string(duration('1.5s')) == '1.5s' && duration('0') == duration('0s')",
            "self.count + 1 == 4 && self.count - 5 == -2 && self.count * 2 == 6 && self.count / 2 == 1 && self.count % 2 == 1",
            "'a' + 'b' == 'ab' && [1] + [2] == [1, 2] && 1.5 + 1.5 == 3.0",
            "(self.count > 2 ? 'big' : 'small') == 'big' && (false ? 1 : true ? 2 : 3) == 2",
            "'a' < 'b' && 'B' < 'a' && false < true && [1, [2]] == [1, [2]] && [1] != [2] && null == null",
            "1 == 1.0 && 1 != 'a' && !(1 == 'a') && 'abc'.size() == 3",
            "r'a\\d' == 'a\\\\d' && \"\"\"x\"\"\" == 'x' && '\\x41\\u0042\\101' == 'ABA'",
            "0x10 == 16 && 1e2 == 100.0 && -(-2) == 2 && !!true",
        ])
    func holdsTrue(_ rule: String) throws {
        #expect(try holds(rule), "\(rule)")
    }

    @Test("&& and || ignore an error when the other side decides; all and exists do the same over elements")
    func errorsAreAbsorbed() throws {
        #expect(try holds("self.labels.zone == 'x' || true"))
        #expect(try holds("false && self.labels['zone'] == 'a'") == false)
        #expect(try holds("self.labels['zone'] == 'a' && false") == false)
        #expect(try holds("self.labels['zone'] == 'a' || self.name == 'web'"))
        #expect(failure("self.labels['zone'] == 'a' || self.name == 'api'") == "no such key: zone")
        #expect(try holds("!self.tags.all(t, t == 'a' ? self.labels['zone'] == 'x' : false)"))
        #expect(try holds("self.tags.exists(t, t == 'c' || self.labels[t] == 'x')"))
        #expect(failure("self.tags.exists(t, self.labels[t] == 'x')") == "no such key: a")
    }

    @Test(
        "run-time errors",
        arguments: [
            ("self.labels.zone == 'a'", "no such key: zone"),
            ("self.labels['zone'] == 'a'", "no such key: zone"),
            ("self.tags[3] == 'a'", "index out of bounds: 3"),
            ("self.count / 0 == 1", "division by zero"),
            ("self.count % 0 == 1", "modulus by zero"),
            ("self.count * 9223372036854775807 > 0", "integer overflow"),
            ("self.port.matches('x')", "no such overload: matches(int, string)"),
            ("self.port > 'a'", "no such overload: _>_(int, string)"),
            ("self.port ? true : false", "no such overload: _?_:_(int)"),
            ("duration(self.name) > duration('1s')", "invalid duration: web"),
            ("size(self.count) == 1", "no such overload: size(int)"),
            ("self.tags.all(t, t)", "no such overload: all(string)"),
        ])
    func runtimeErrors(_ rule: String, _ message: String) {
        #expect(failure(rule) == message)
    }

    @Test("a rule that cannot be evaluated fails, with the error before the rule's message, as the API server reports it")
    func runtimeErrorsFailTheRule() throws {
        let spec: JSONValue = [
            "type": "object", "properties": ["minReadySeconds": ["type": "integer"]],
            "x-kubernetes-validations": [
                ["rule": "self.minReadySeconds > 0", "message": "minReadySeconds must be positive"], ["rule": "self.minReadySeconds < 10"],
            ],
        ]
        let schema: JSONValue = ["type": "object", "properties": ["spec": spec]]
        let validator = try #require(CELValidator.compile(schema, path: "").validator)
        let causes = validator.validate(["spec": [:]], old: nil).map { "\($0.field): \($0.message)" }
        #expect(
            causes == [
                #"spec: Invalid value: "object": no such key: minReadySeconds evaluating rule: minReadySeconds must be positive"#,
                #"spec: Invalid value: "object": no such key: minReadySeconds evaluating rule: self.minReadySeconds < 10"#,
            ])
        #expect(validator.validate(["spec": ["minReadySeconds": 12]], old: nil).map(\.message) == [#"Invalid value: "object": failed rule: self.minReadySeconds < 10"#])
        #expect(validator.validate(["spec": ["minReadySeconds": 5]], old: nil).isEmpty)
        #expect(validator.validate(["status": [:]], old: nil).isEmpty, "no spec: no value for its rules")
    }

    @Test("messageExpression, reason and a rule on the root")
    func messagesAndReasons() throws {
        let schema: JSONValue = [
            "type": "object",
            "x-kubernetes-validations": [["rule": "self.metadata.name.startsWith('a')", "reason": "FieldValueForbidden", "fieldPath": ".spec"]],
            "properties": [
                "spec": [
                    "type": "object", "properties": ["n": ["type": "integer"], "labels": ["type": "object", "additionalProperties": ["type": "string"]]],
                    "x-kubernetes-validations": [
                        ["rule": "self.n < 3", "messageExpression": "'n is ' + string(self.n) + ', above 2'", "message": "unused"],
                        ["rule": "self.n < 2", "messageExpression": "self.n", "message": "n must be below 2"],
                        ["rule": "!has(self.labels) || 'a' in self.labels", "reason": "FieldValueRequired", "fieldPath": ".labels['a']"],
                    ],
                ]
            ],
        ]
        let validator = try #require(CELValidator.compile(schema, path: "").validator)
        let causes = validator.validate(["metadata": ["name": "b"], "spec": ["n": 5, "labels": ["b": "x"]]], old: nil)
        #expect(
            causes.map { "\($0.reason) \($0.field): \($0.message)" } == [
                "FieldValueForbidden spec: Forbidden: failed rule: self.metadata.name.startsWith('a')",
                #"FieldValueInvalid spec: Invalid value: "object": n is 5, above 2"#,
                #"FieldValueInvalid spec: Invalid value: "object": n must be below 2"#,
                "FieldValueRequired spec.labels[a]: Required value: failed rule: !has(self.labels) || 'a' in self.labels",
            ])
    }

    @Test(
        "string(double) prints as Go does",
        arguments: [
            (2.0, "2"), (-0.5, "-0.5"), (0.0001, "0.0001"), (0.00001, "1e-05"), (123456.0, "123456"), (1234567.0, "1.234567e+06"),
            (1e20, "1e+20"), (1e100, "1e+100"), (1.5e-300, "1.5e-300"), (0.1 + 0.2, "0.30000000000000004"),
        ])
    func doublesPrintAsGoPrintsThem(_ number: Double, _ printed: String) {
        #expect(CELFunctions.goFormat(number) == printed)
    }

    @Test("JSON values become CEL values by their schema")
    func conversion() {
        #expect(CELValue.equal(CELValue(3, schema: ["type": "number"]), .double(3)))
        if case .double = CELValue(3, schema: ["type": "number"]) {} else { Issue.record("a number field is a double") }
        if case .int = CELValue(3, schema: ["x-kubernetes-int-or-string": true]) {} else { Issue.record("an int-or-string 3 is an int") }
        #expect(CELValue.equal(CELValue(["a": [1, "x"]], schema: nil), .map(["a": .list([.int(1), .string("x")])])))
        #expect(!CELValue.equal(.string("e\u{301}"), .string("\u{E9}")), "strings compare by code points, as in Go")
    }
}
