import KubeModels
import Testing

@testable import KubeSim

/// Every rule of crds/, evaluated as kubesim admits an AppRelease: on the object as the schema
/// defaulted it, each on an object it passes and on one it refuses, with the field and words a
/// real API server reports.
@Suite("CEL: the AppRelease CRD's rules")
struct AppReleaseRuleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var spec: JSONValue
        var field: String
        var message: String
        var testDescription: String { name }
    }

    let schema: JSONValue
    let validator: CELValidator

    init() throws {
        schema = try #require(CELFixtures.schemas(try CELFixtures.appReleaseCRD()).first)
        validator = try #require(CELValidator.compile(schema, path: "").validator)
    }

    func defaulted(_ object: JSONValue) -> JSONValue {
        SchemaValidator.validate(object, schema: schema, subresources: ResourceInfo(gvr: CELFixtures.appReleases)).object
    }

    func causes(_ object: JSONValue, old: JSONValue? = nil) -> [String] {
        validator.validate(defaulted(object), old: old.map(defaulted)).map { "\($0.field): \($0.message)" }
    }

    static let refused: [Case] = [
        Case(
            name: "progressDeadlineSeconds not above minReadySeconds", spec: ["minReadySeconds": 60],
            field: "spec.progressDeadlineSeconds",
            message: #"Invalid value: "object": spec.progressDeadlineSeconds must be greater than spec.minReadySeconds"#),
        Case(
            name: "a selector the template's labels do not satisfy", spec: ["selector": ["matchLabels": ["app": "other"]]],
            field: "spec.selector", message: #"Invalid value: "object": spec.selector.matchLabels must match spec.template.metadata.labels"#),
        Case(
            name: "a selector label the template lacks", spec: ["selector": ["matchLabels": ["app": "web", "tier": "a"]]],
            field: "spec.selector", message: #"Invalid value: "object": spec.selector.matchLabels must match spec.template.metadata.labels"#),
        Case(
            name: "no selector and no template labels", spec: ["selector": nil, "template": ["metadata": nil]],
            field: "spec.template",
            message: #"Invalid value: "object": spec.template.metadata.labels is required when spec.selector is not set (it is the default selector)"#),
        Case(
            name: "BlueGreen without its section", spec: ["strategy": ["type": "BlueGreen", "rolling": nil]], field: "spec.strategy",
            message: #"Invalid value: "object": spec.strategy.blueGreen is required when spec.strategy.type is BlueGreen"#),
        Case(
            name: "Canary without its section", spec: ["strategy": ["type": "Canary", "rolling": nil]], field: "spec.strategy",
            message: #"Invalid value: "object": spec.strategy.canary is required when spec.strategy.type is Canary"#),
        Case(
            name: "a container naming none of the template's", spec: ["container": "sidecar"], field: "spec.container",
            message: #"Invalid value: "object": spec.container must name a container of spec.template.spec.containers"#),
        Case(
            name: "maxSurge and maxUnavailable both 0", spec: ["strategy": ["rolling": ["maxSurge": "0%", "maxUnavailable": 0]]],
            field: "spec.strategy.rolling", message: #"Invalid value: "object": maxSurge and maxUnavailable may not both be 0"#),
        Case(
            name: "a maxSurge above 100%", spec: ["strategy": ["rolling": ["maxSurge": "150%"]]], field: "spec.strategy.rolling.maxSurge",
            message: #"Invalid value: "": must be a non-negative integer or a percentage between 0% and 100%"#),
        Case(
            name: "a negative maxUnavailable", spec: ["strategy": ["rolling": ["maxUnavailable": -1]]],
            field: "spec.strategy.rolling.maxUnavailable",
            message: #"Invalid value: "": must be a non-negative integer or a percentage between 0% and 100%"#),
        Case(
            name: "a maxUnavailable that is no percentage", spec: ["strategy": ["rolling": ["maxUnavailable": "half"]]],
            field: "spec.strategy.rolling.maxUnavailable",
            message: #"Invalid value: "": must be a non-negative integer or a percentage between 0% and 100%"#),
        Case(
            name: "the same Service as active and preview",
            spec: ["strategy": ["type": "BlueGreen", "rolling": nil, "blueGreen": ["activeService": "web", "previewService": "web"]]],
            field: "spec.strategy.blueGreen", message: #"Invalid value: "object": previewService must differ from activeService"#),
        Case(
            name: "the same Service as stable and canary",
            spec: ["strategy": ["type": "Canary", "rolling": nil, "canary": ["stableService": "web", "canaryService": "web"]]],
            field: "spec.strategy.canary", message: #"Invalid value: "object": canaryService must differ from stableService"#),
        Case(
            name: "an HTTPRoute without both Services",
            spec: ["strategy": ["type": "Canary", "rolling": nil, "canary": ["stableService": "web", "trafficRouting": ["httpRoute": ["name": "r"]]]]],
            field: "spec.strategy.canary",
            message: #"Invalid value: "object": trafficRouting.httpRoute needs stableService and canaryService, the Services its backendRefs name"#),
        Case(
            name: "a canary step with both setWeight and pause",
            spec: ["strategy": ["type": "Canary", "rolling": nil, "canary": ["steps": [["setWeight": 10], ["setWeight": 20, "pause": [:]]]]]],
            field: "spec.strategy.canary.steps[1]", message: #"Invalid value: "object": a step sets exactly one of setWeight or pause"#),
        Case(
            name: "a canary step with neither", spec: ["strategy": ["type": "Canary", "rolling": nil, "canary": ["steps": [[:]]]]],
            field: "spec.strategy.canary.steps[0]", message: #"Invalid value: "object": a step sets exactly one of setWeight or pause"#),
    ]

    static let admitted: [(String, JSONValue)] = [
        ("the base object", [:]),
        ("progressDeadlineSeconds above minReadySeconds", ["minReadySeconds": 59]),
        ("no selector, with template labels", ["selector": nil]),
        ("a selector naming some of the template's labels", ["template": ["metadata": ["labels": ["app": "web", "tier": "a"]]]]),
        ("a container of the template", ["container": "app"]),
        ("percentages up to 100%", ["strategy": ["rolling": ["maxSurge": "100%", "maxUnavailable": "0%"]]]),
        ("the defaults (25% and 0)", ["strategy": ["rolling": nil]]),
        ("maxSurge 0 with maxUnavailable 1", ["strategy": ["rolling": ["maxSurge": 0, "maxUnavailable": 1]]]),
        ("BlueGreen with different Services", ["strategy": ["type": "BlueGreen", "rolling": nil, "blueGreen": ["activeService": "a", "previewService": "b"]]]),
        (
            "Canary with an HTTPRoute, both Services and steps",
            [
                "strategy": [
                    "type": "Canary", "rolling": nil,
                    "canary": [
                        "stableService": "s", "canaryService": "c", "trafficRouting": ["httpRoute": ["name": "r"]],
                        "steps": [["setWeight": 10], ["pause": ["duration": "1m"]], ["pause": [:]]],
                    ],
                ]
            ]
        ),
    ]

    @Test("a rule refuses the object, naming the field and the rule's message", arguments: refused)
    func refuses(_ rule: Case) {
        #expect(causes(CELFixtures.appRelease(spec: rule.spec)) == ["\(rule.field): \(rule.message)"])
    }

    @Test("every rule admits a valid object", arguments: admitted.map(\.0))
    func admits(_ name: String) throws {
        let spec = try #require(Self.admitted.first { $0.0 == name }?.1)
        #expect(causes(CELFixtures.appRelease(spec: spec)).isEmpty)
    }

    @Test("spec.selector is immutable: self == oldSelf runs on an update with an old selector only")
    func selectorIsImmutable() {
        let changed = CELFixtures.appRelease(spec: [
            "selector": ["matchLabels": ["app": "web", "tier": "a"]], "template": ["metadata": ["labels": ["app": "web", "tier": "a"]]],
        ])
        #expect(causes(changed).isEmpty, "a create has no old value: the transition rule does not run")
        #expect(causes(changed, old: CELFixtures.appRelease) == [#"spec.selector: Invalid value: "object": spec.selector is immutable"#])
        #expect(causes(CELFixtures.appRelease, old: CELFixtures.appRelease).isEmpty)
        let image = CELFixtures.appRelease(spec: ["image": .string("registry.example/web@sha256:" + String(repeating: "b", count: 64))])
        #expect(causes(image, old: CELFixtures.appRelease).isEmpty, "another field changed, the selector did not")
        let added = CELFixtures.appRelease(spec: ["selector": nil])
        #expect(causes(CELFixtures.appRelease, old: added).isEmpty, "no old selector: nothing to compare with")
        #expect(causes(added, old: CELFixtures.appRelease).isEmpty, "no new selector: no value for the rule")
    }

    @Test("an update that leaves a failing value unchanged is not refused for it (ratcheting); changing it is")
    func unchangedValuesRatchet() {
        let bad = CELFixtures.appRelease(spec: ["strategy": ["rolling": ["maxSurge": 0, "maxUnavailable": 0]]])
        var relabelled = bad
        relabelled["metadata"]?["labels"] = ["team": "a"]
        #expect(causes(relabelled, old: bad).isEmpty)
        let stillBad = CELFixtures.appRelease(spec: ["strategy": ["rolling": ["maxSurge": "0%", "maxUnavailable": 0]]])
        #expect(causes(stillBad, old: bad) == [#"spec.strategy.rolling: Invalid value: "object": maxSurge and maxUnavailable may not both be 0"#])
    }

    @Test("several failing rules are all reported")
    func everyFailureIsReported() {
        let object = CELFixtures.appRelease(spec: ["container": "sidecar", "minReadySeconds": 600])
        #expect(causes(object).count == 2)
    }
}
