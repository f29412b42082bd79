import KubeModels
import Testing

@testable import KubeSim

@Suite struct SchemaValidatorTests {
    let schema: JSONValue = [
        "type": "object",
        "properties": [
            "spec": [
                "type": "object", "required": ["image"],
                "properties": [
                    "image": ["type": "string", "maxLength": 10],
                    "replicas": ["type": "integer", "minimum": 0, "default": 1],
                    "weight": ["type": "number", "maximum": 100, "exclusiveMaximum": true],
                    "port": ["x-kubernetes-int-or-string": true],
                    "mode": ["type": "string", "enum": ["a", "b"], "default": "a"],
                    "nested": ["type": "object", "default": [:], "properties": ["inner": ["type": "string", "default": "x"]]],
                    "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                    "free": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                    "steps": ["type": "array", "maxItems": 2, "items": ["type": "object", "required": ["name"], "properties": ["name": ["type": "string"]]]],
                ],
            ]
        ],
    ]

    func validate(_ spec: JSONValue) -> SchemaValidator.Outcome {
        SchemaValidator.validate(
            ["apiVersion": "x/v1", "kind": "X", "metadata": ["name": "n"], "spec": spec], schema: schema,
            subresources: ResourceInfo(gvr: .ownerCustomResource))
    }

    @Test func defaultsAreAppliedRecursively() {
        let outcome = validate(["image": "nginx"])
        #expect(outcome.causes.isEmpty)
        #expect(outcome.object["spec"]?["replicas"] == 1)
        #expect(outcome.object["spec"]?["mode"] == "a")
        #expect(outcome.object["spec"]?["nested"] == ["inner": "x"])
    }

    @Test func violationsNameTheFieldAndTheRule() {
        let outcome = validate([
            "image": "a-very-long-image", "replicas": -1, "weight": 100, "port": true, "mode": "c",
            "labels": ["a": 1], "steps": [["x": 1], ["name": "b"], ["name": "c"]],
        ])
        let byField = Dictionary(outcome.causes.map { ($0.field, $0.message) }, uniquingKeysWith: { $0 + "; " + $1 })
        #expect(byField["spec.image"] == "Too long: may not be more than 10 bytes")
        #expect(byField["spec.replicas"] == "Invalid value: -1: spec.replicas in body should be greater than or equal to 0")
        #expect(byField["spec.weight"] == "Invalid value: 100: spec.weight in body should be less than 100")
        #expect(byField["spec.port"] == #"Invalid value: "boolean": spec.port in body must be of type integer or string: "boolean""#)
        #expect(byField["spec.mode"] == #"Unsupported value: "c": supported values: "a", "b""#)
        #expect(byField["spec.labels.a"] == #"Invalid value: "integer": spec.labels.a in body must be of type string: "integer""#)
        #expect(byField["spec.steps[0].name"] == "Required value")
        #expect(byField["spec.steps"] == "Too many: 3: must have at most 2 items")
        #expect(outcome.unknownFields == ["spec.steps[0].x"])
    }

    @Test func requiredAndUnknownFieldsArePrunedOrReported() {
        let outcome = validate(["free": ["anything": ["goes": 1]], "bogus": true])
        #expect(outcome.causes.map(\.field) == ["spec.image"])
        #expect(outcome.unknownFields == ["spec.bogus"])
        #expect(outcome.object["spec"]?["bogus"] == nil)
        #expect(outcome.object["spec"]?["free"] == ["anything": ["goes": 1]])
    }

    @Test func intOrStringAcceptsBoth() {
        #expect(validate(["image": "a", "port": 8080]).causes.isEmpty)
        #expect(validate(["image": "a", "port": "http"]).causes.isEmpty)
    }
}
