import AppReleaseAPI
import KubeModels
import RolloutEngine
import Testing

@Suite("Validation: field path and rule")
struct ValidationTests {
    func issues(_ spec: JSONValue) -> [String] {
        switch RolloutEngine.validate(spec) {
        case .success: return []
        case .failure(let errors): return errors.issues.map(\.description)
        }
    }

    @Test func validSpecResolvesDefaults() throws {
        let spec: JSONValue = [
            "image": .string(image(1)),
            "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "web"]]]],
        ]
        guard case .success(let resolved) = RolloutEngine.validate(spec) else {
            Issue.record("expected valid: \(issues(spec))")
            return
        }
        #expect(resolved.replicas == 1)
        #expect(resolved.progressDeadlineSeconds == 600)
        #expect(resolved.revisionHistoryLimit == 10)
        #expect(resolved.maxRestarts == 3 && resolved.failOnImagePullErrors)
        #expect(resolved.strategy == .rolling(maxSurge: "25%", maxUnavailable: 0))
        #expect(resolved.selector.matchLabels == ["app": "web"])
        #expect(resolved.containerName == "web")
        #expect(resolved.fenceposts(replicas: 4) == (1, 0) || resolved.fenceposts(replicas: 4).surge == 1)
    }

    @Test func imageMustBePinnedByDigest() {
        for bad in ["ghcr.io/acme/web:1.2", "ghcr.io/acme/web@sha256:abc", "web@sha256:" + String(repeating: "A", count: 64), ""] {
            let found = issues(specJSON(image: bad))
            #expect(found.count == 1)
            #expect(found.first?.hasPrefix("spec.image: ") == true)
            #expect(found.first?.contains("name@sha256:<64 hex>") == true)
        }
        #expect(issues(specJSON(image: image(3, name: "registry.local:5000/team/web-app"))).isEmpty)
        #expect(
            issues(specJSON(image: "ghcr.io/acme/web:1.2"))
                == ["spec.image: must be pinned by digest (name@sha256:<64 hex>), got \"ghcr.io/acme/web:1.2\""])
    }

    @Test func typeErrorsNameTheField() {
        var spec = specJSON(image: image(1))
        spec["replicas"] = "three"
        #expect(issues(spec) == ["spec.replicas: must be an integer"])
        spec = specJSON(image: image(1))
        spec["strategy"] = ["type": "Rolling", "rolling": ["maxSurge": true]]
        #expect(issues(spec).first?.hasPrefix("spec.strategy.rolling.maxSurge") == true)
        #expect(issues(.null) == ["spec: Required value: must be an object"])
    }

    @Test func containerSelectorAndTemplateRules() {
        var spec = specJSON(image: image(1), extra: ["container": "api"])
        #expect(issues(spec) == ["spec.container: no container named \"api\" in spec.template.spec.containers (have: web)"])
        spec = specJSON(image: image(1), extra: ["selector": ["matchLabels": ["app": "other"]]])
        #expect(issues(spec) == ["spec.selector: does not match spec.template.metadata.labels"])
        spec = specJSON(image: image(1), extra: ["selector": ["matchLabels": [AppReleaseAPI.revisionLabel: "x"]]])
        #expect(issues(spec).contains { $0.hasPrefix("spec.selector: must not use the reserved label") })
        spec = specJSON(image: image(1), extra: ["template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": []]]])
        #expect(issues(spec) == ["spec.template.spec.containers: Required value: at least one container"])
        spec = specJSON(image: image(1), extra: ["template": ["spec": ["containers": [["name": "web"]]]]])
        #expect(issues(spec) == ["spec.template.metadata.labels: Required value: needed as the default selector"])
    }

    @Test func numericRules() {
        #expect(issues(specJSON(image: image(1), replicas: -1)) == ["spec.replicas: must be greater than or equal to 0"])
        #expect(
            issues(specJSON(image: image(1), extra: ["minReadySeconds": 700]))
                == ["spec.progressDeadlineSeconds: must be greater than spec.minReadySeconds (700)"])
        #expect(
            issues(specJSON(image: image(1), maxSurge: 0, maxUnavailable: "0%"))
                == ["spec.strategy.rolling: maxSurge and maxUnavailable may not both be 0: the release could never move"])
        #expect(issues(specJSON(image: image(1), maxSurge: "150%")) == ["spec.strategy.rolling.maxSurge: must not be greater than 100%"])
        #expect(
            issues(specJSON(image: image(1), maxSurge: "lots"))
                == ["spec.strategy.rolling.maxSurge: must be an integer or a percentage like \"25%\", got \"lots\""])
        #expect(issues(specJSON(image: image(1), maxUnavailable: -1)) == ["spec.strategy.rolling.maxUnavailable: must be greater than or equal to 0"])
    }

    @Test func strategySectionsAndSteps() {
        var spec = specJSON(image: image(1))
        spec["strategy"] = ["type": "BlueGreen"]
        #expect(issues(spec) == ["spec.strategy.blueGreen: Required value: strategy type BlueGreen needs its section"])
        spec["strategy"] = ["type": "Recreate"]
        #expect(issues(spec).first?.hasPrefix("spec.strategy.type: Unsupported value \"Recreate\"") == true)
        spec["strategy"] = [
            "type": "Canary",
            "canary": ["steps": [["setWeight": 120], ["pause": ["duration": "5x"]], ["setWeight": 10, "pause": [:]]]],
        ]
        let found = issues(spec)
        #expect(found.count == 3)
        #expect(found[0] == "spec.strategy.canary.steps[0].setWeight: must be between 0 and 100")
        #expect(found[1].hasPrefix("spec.strategy.canary.steps[1].pause.duration: invalid duration \"5x\""))
        #expect(found[2] == "spec.strategy.canary.steps[2]: must set exactly one of setWeight or pause")
    }

    @Test func blueGreenAndCanaryRulesNameTheField() {
        var spec = specJSON(image: image(1))
        spec["strategy"] = ["type": "BlueGreen", "blueGreen": ["activeService": "web"]]
        #expect(issues(spec).isEmpty)
        spec["strategy"] = [
            "type": "BlueGreen", "blueGreen": ["activeService": "Web_Active", "previewReplicaCount": 0],
        ]
        #expect(
            issues(spec) == [
                "spec.strategy.blueGreen.activeService: must be a Service name (a DNS-1035 label: lowercase letters, digits and '-', starting with a letter, at most 63 characters), got \"Web_Active\"",
                "spec.strategy.blueGreen.previewReplicaCount: must be greater than or equal to 1",
            ])
        spec["strategy"] = ["type": "Canary", "canary": ["steps": [["setWeight": 10], ["pause": ["duration": "1m"]]]]]
        #expect(issues(spec).isEmpty)
        spec["strategy"] = ["type": "Canary", "canary": ["trafficRouting": ["httpRoute": ["name": "web"]], "stableService": "web"]]
        #expect(
            issues(spec) == [
                "spec.strategy.canary.trafficRouting.httpRoute: needs stableService and canaryService: the Services its backendRefs name, whose weights are set"
            ])
        spec["strategy"] = ["type": "Canary", "canary": ["stableService": "web", "canaryService": "web", "scaleDownDelaySeconds": -1]]
        #expect(
            issues(spec) == [
                "spec.strategy.canary.canaryService: must differ from stableService",
                "spec.strategy.canary.scaleDownDelaySeconds: must be greater than or equal to 0",
            ])
    }

    @Test func reportsEveryIssueAtOnce() {
        var spec = specJSON(image: "web:latest", replicas: -2)
        spec["revisionHistoryLimit"] = -1
        #expect(issues(spec).count == 3)
    }
}
