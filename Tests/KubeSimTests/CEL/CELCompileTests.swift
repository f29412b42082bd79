import KubeModels
import Testing

@testable import KubeSim

/// Rules are compiled when their CRD is stored: every rule of the CRDs kubesim serves compiles,
/// and a rule kubesim cannot evaluate refuses its CRD, saying which construct and where.
@Suite("CEL: compiling rules when a CRD is stored")
struct CELCompileTests {
    /// A CRD with one rule on `spec`, whose schema has a few fields to select.
    static func crd(rule: String, extra: JSONValue = [:]) -> JSONValue {
        var entry: JSONValue = ["rule": .string(rule)]
        for (key, value) in extra.objectValue ?? [:] { entry[key] = value }
        return [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "widgets.example.com"],
            "spec": [
                "group": "example.com", "scope": "Namespaced", "names": ["plural": "widgets", "kind": "Widget"],
                "versions": [
                    [
                        "name": "v1", "served": true, "storage": true,
                        "schema": [
                            "openAPIV3Schema": [
                                "type": "object",
                                "properties": [
                                    "spec": [
                                        "type": "object", "x-kubernetes-validations": [entry],
                                        "properties": [
                                            "foo": ["type": "array", "items": ["type": "string"]],
                                            "name": ["type": "string"],
                                            "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                                            "when": ["type": "string", "format": "date-time"],
                                            "items": ["type": "array", "items": ["type": "object", "properties": ["n": ["type": "integer"]]]],
                                        ],
                                    ]
                                ],
                            ]
                        ],
                    ]
                ],
            ],
        ]
    }

    static let rulePath = "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0]"

    func refusal(_ rule: String, extra: JSONValue = [:]) -> [String] {
        CRDValidation.causes(Self.crd(rule: rule, extra: extra)).map { "\($0.field): \($0.message)" }
    }

    @Test("every rule of the AppRelease and HTTPRoute CRDs compiles")
    func everyRuleOfTheServedCRDsCompiles() throws {
        for crd in [try CELFixtures.appReleaseCRD(), try CELFixtures.httpRouteCRD()] {
            #expect(CRDValidation.causes(crd).isEmpty)
            for schema in CELFixtures.schemas(crd) {
                let expressions = CELFixtures.expressions(in: schema)
                #expect(!expressions.isEmpty)
                for expression in expressions {
                    #expect(throws: Never.self, "\(expression)") { try CELParser.parse(expression) }
                }
                let compiled = CELValidator.compile(schema, path: "")
                #expect(compiled.validator != nil)
                #expect(compiled.problems.isEmpty, "\(compiled.problems)")
            }
        }
        #expect(CELFixtures.expressions(in: try #require(CELFixtures.schemas(try CELFixtures.appReleaseCRD()).first)).count == 14)
    }

    @Test(
        "a construct outside kubesim's subset refuses the CRD, naming the rule, its path and the construct",
        arguments: [
            ("self.foo.map(x, x) == self.foo", "the macro: .map()"),
            ("timestamp('2024-01-01T00:00:00Z') < timestamp('2025-01-01T00:00:00Z')", "the function: timestamp()"),
            ("frobnicate(self.name)", "the function: frobnicate()"),
            ("self.name.lowerAscii() == 'a'", "the function: .lowerAscii()"),
            ("{'a': 1}.size() == 1", "map literals: {'a': 1}.size() == 1"),
            ("b'abc' == b'abc'", "bytes literals: b'abc' == b'abc'"),
            ("self.foo.size() > 1u", "unsigned integers: 1u"),
            ("self.?name == 'a'", "optional field selection: self.?name == 'a'"),
            ("self.when != ''", "fields of format date-time: when"),
            ("self.foo.all(i, x, true)", "the macro: .all()"),
        ])
    func unsupportedConstructsRefuseTheCRD(_ rule: String, _ construct: String) {
        let causes = refusal(rule)
        #expect(causes == ["\(Self.rulePath).rule: Invalid value: \(CELRule.quoted(rule)): kubesim's CEL evaluator does not support \(construct)"])
    }

    @Test("optionalOldSelf is refused too")
    func optionalOldSelfIsRefused() {
        #expect(
            refusal("oldSelf.hasValue()", extra: ["optionalOldSelf": true]).contains(
                "\(Self.rulePath).optionalOldSelf: Invalid value: true: kubesim's CEL evaluator does not support optionalOldSelf: optionalOldSelf: true"))
    }

    @Test("what a real API server refuses at compile time, kubesim refuses too")
    func compileErrors() {
        #expect(refusal("self.nmae == 'a'") == [#"\#(Self.rulePath).rule: Invalid value: "self.nmae == 'a'": compilation failed: ERROR: <input>:1:5: undefined field 'nmae'"#])
        #expect(refusal("self.name ==") == [#"\#(Self.rulePath).rule: Invalid value: "self.name ==": compilation failed: ERROR: <input>:1:13: Syntax error: mismatched input '<EOF>' expecting an expression"#])
        #expect(refusal("other.name == 'a'").first?.hasSuffix("undeclared reference to 'other' (in container '')") == true)
        #expect(refusal("self.name.foo == 'a'").first?.hasSuffix("type 'string' does not support field selection") == true)
        #expect(refusal("self.name.matches('[')").first?.contains("invalid regular expression: [") == true)
        #expect(refusal("duration(self.name) > duration('5x')").first?.contains("invalid duration argument: 5x") == true)
        #expect(refusal("size(self.foo, 1) > 0").first?.contains("found no matching overload for 'size'") == true)
        #expect(refusal("has(self.name)", extra: ["reason": "FieldValueBogus"]).first?.contains("reason: Unsupported value: \"FieldValueBogus\"") == true)
        #expect(refusal("has(self.name)", extra: ["fieldPath": ".nope"]) == [#"\#(Self.rulePath).fieldPath: Invalid value: ".nope": fieldPath must be a valid path"#])
        #expect(refusal("has(self.name)", extra: ["messageExpression": "self.nope"]).first?.contains("undefined field 'nope'") == true)
        #expect(refusal("  ") == ["\(Self.rulePath).rule: Required value: rule is not specified"])
    }

    @Test("oldSelf below a list whose items have no keys is refused: it could never be bound")
    func transitionRulesNeedCorrelatableItems() {
        var crd = Self.crd(rule: "true")
        let item: JSONValue = ["type": "object", "x-kubernetes-validations": [["rule": "self == oldSelf"]], "properties": ["n": ["type": "integer"]]]
        crd = MergePatch.apply(
            ["spec": ["versions": [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": [
                "type": "object", "properties": ["spec": ["type": "object", "properties": ["items": ["type": "array", "items": item]]]],
            ]]]]]], to: crd)
        let causes = CRDValidation.causes(crd).map(\.message)
        #expect(causes == [
            #"Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[items].items"#
        ])
    }

    @Test("escaped property names select the property", arguments: [("__namespace__", "namespace"), ("a__dash__b__dot__c", "a-b.c"), ("x__underscores__y__slash__z", "x__y/z")])
    func escapedNames(_ escaped: String, _ name: String) {
        #expect(CELParser.unescape(escaped) == name)
    }

    @Test("malformed input is refused with a syntax error, never a crash")
    func garbageNeverCrashes() {
        let garbage = [
            "", "(", ")", "self.", "self..a", "1 +", "'unterminated", "\"\"\"abc", "a ? b", "[1, 2", "self[", "!!!!", "has()",
            "has(self)", "self.all(1, true)", "\\", "@", "0x", "1e", #"'\x4'"#, #"'\u12'"#, "r'abc", "self.namespace", "a = b",
            "'\n'", "true false", "((((", "]]]]", "self.a(", "1..2", ".", ",", "?:", "-", "'\\q'", "\u{0}", "0xFFFFFFFFFFFFFFFFFF",
            "99999999999999999999", "self.all(x, ", "size(", "[,]", "self.exists(x)",
            String(repeating: "(", count: 10_000), String(repeating: "!", count: 10_000) + "true",
            "1" + String(repeating: " + 1", count: 5_000), "self" + String(repeating: ".a", count: 5_000),
            String(repeating: "[", count: 5_000), String(repeating: "a ? ", count: 3_000) + "b",
        ]
        for text in garbage {
            #expect(throws: CELCompileError.self, "\(text.prefix(40))") { try CELProgram(text, schema: [:], isResource: false) }
        }
    }
}
