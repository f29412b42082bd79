import Foundation
import KubeClient
import KubeModels
import TestSupport

@testable import KubeSim

/// The CRDs whose rules kubesim must evaluate: the project's AppRelease CRD (crds/) and the
/// upstream Gateway API HTTPRoute CRD the canary tests install.
enum CELFixtures {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func appReleaseCRD() throws -> JSONValue {
        try YAMLParser.parse(String(contentsOf: repository.appendingPathComponent("crds/appreleases.apprelease.dev.yaml"), encoding: .utf8))
    }

    static func httpRouteCRD() throws -> JSONValue { try YAMLParser.parse(GatewayAPIFixture.httpRouteCRD()) }

    /// The schemas of every version of a CRD.
    static func schemas(_ crd: JSONValue) -> [JSONValue] {
        (crd[path: "spec", "versions"]?.arrayValue ?? []).compactMap { $0[path: "schema", "openAPIV3Schema"] }
    }

    /// Every `rule` (and `messageExpression`) declared anywhere in a schema.
    static func expressions(in schema: JSONValue) -> [String] {
        var found: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let fields):
                for entry in fields["x-kubernetes-validations"]?.arrayValue ?? [] {
                    found += [entry["rule"]?.stringValue, entry["messageExpression"]?.stringValue].compactMap { $0 }
                }
                for (_, child) in fields { walk(child) }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        walk(schema)
        return found
    }

    static let appReleases = GroupVersionResource(
        group: "apprelease.dev", version: "v1alpha1", resource: "appreleases", kind: "AppRelease", namespaced: true)

    /// A valid AppRelease, as the end-to-end tests' manifest.
    static let appRelease: JSONValue = [
        "apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease",
        "metadata": ["name": "web", "namespace": "default"],
        "spec": [
            "image": .string("registry.example/web@sha256:" + String(repeating: "a", count: 64)),
            "replicas": 3,
            "selector": ["matchLabels": ["app": "web"]],
            "template": [
                "metadata": ["labels": ["app": "web"]],
                "spec": ["containers": [["name": "app", "ports": [["containerPort": 8080]]]]],
            ],
            "progressDeadlineSeconds": 60,
            "strategy": ["type": "Rolling", "rolling": ["maxSurge": 1, "maxUnavailable": 0]],
        ],
    ]

    /// The AppRelease with `patch` merged into its spec (a JSON merge patch: null removes).
    static func appRelease(spec patch: JSONValue) -> JSONValue {
        MergePatch.apply(["spec": patch], to: appRelease)
    }
}
