import Foundation
import KubeClient
import KubeModels
import TestSupport
import Testing

@testable import KubeSim

/// The CRD's CEL rules at kubesim's API, through the project's client: a custom resource that
/// fails one is refused with 422 Invalid, the rule's message and a cause naming the field, as a
/// real API server refuses it; a CRD with a rule kubesim cannot evaluate is itself refused.
@Suite struct CELAdmissionTests {
    func withAppReleases(_ body: (KubernetesClient) async throws -> Void) async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try KubernetesClient(kubeconfigPath: fixture.kubeconfigPath)
            defer { client.shutdown() }
            try await client.create(.customResourceDefinitions, namespace: nil, object: try CELFixtures.appReleaseCRD())
            try await body(client)
        }
    }

    func refusal(_ write: () async throws -> JSONValue) async -> APIStatus? {
        let error = await #expect(throws: KubernetesError.self) { _ = try await write() }
        return error?.status
    }

    @Test func aCustomResourceFailingARuleIsRefusedWithItsMessageAndCause() async throws {
        try await withAppReleases { client in
            let bad = CELFixtures.appRelease(spec: ["strategy": ["rolling": ["maxSurge": 0, "maxUnavailable": "0%"]]])
            let status = await refusal { try await client.create(CELFixtures.appReleases, namespace: "default", object: bad) }
            #expect(status?.code == 422)
            #expect(status?.reason == "Invalid")
            #expect(
                status?.message
                    == #"AppRelease.apprelease.dev "web" is invalid: spec.strategy.rolling: Invalid value: "object": maxSurge and maxUnavailable may not both be 0"#)
            #expect(
                status?.details?.causes == [
                    APIStatus.Cause(
                        reason: "FieldValueInvalid", message: #"Invalid value: "object": maxSurge and maxUnavailable may not both be 0"#,
                        field: "spec.strategy.rolling")
                ])
            #expect(status?.details?.name == "web")
            let missing = await refusal { try await client.get(CELFixtures.appReleases, namespace: "default", name: "web") }
            #expect(missing?.code == 404, "nothing was stored")
        }
    }

    @Test func theSelectorIsImmutableOnUpdateAndPatchButNotOnCreate() async throws {
        try await withAppReleases { client in
            var created = try await client.create(CELFixtures.appReleases, namespace: "default", object: CELFixtures.appRelease)
            let relabel: JSONValue = ["spec": ["selector": ["matchLabels": ["tier": "a"]], "template": ["metadata": ["labels": ["tier": "a"]]]]]
            let patched = await refusal {
                try await client.patch(CELFixtures.appReleases, namespace: "default", name: "web", patch: .merge(relabel))
            }
            #expect(patched?.code == 422)
            #expect(patched?.details?.causes?.map(\.field) == ["spec.selector"])
            #expect(patched?.message?.hasSuffix(#"spec.selector: Invalid value: "object": spec.selector is immutable"#) == true)
            created = MergePatch.apply(relabel, to: created)
            let updated = await refusal { try await client.update(CELFixtures.appReleases, namespace: "default", object: created) }
            #expect(updated?.details?.causes?.map(\.message) == [#"Invalid value: "object": spec.selector is immutable"#])
            let image = "registry.example/web@sha256:" + String(repeating: "b", count: 64)
            let other = try await client.patch(
                CELFixtures.appReleases, namespace: "default", name: "web", patch: .merge(["spec": ["image": .string(image)]]))
            #expect(other[path: "spec", "image"]?.stringValue == image, "an update leaving the selector alone is admitted")
        }
    }

    @Test func aCRDWithARuleKubeSimCannotEvaluateIsRefused() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let client = try KubernetesClient(kubeconfigPath: fixture.kubeconfigPath)
            defer { client.shutdown() }
            var crd = try CELFixtures.appReleaseCRD()
            let rule = "self.template.spec.containers.map(c, c.name).size() > 0"
            crd = MergePatch.apply(
                ["spec": ["versions": [
                    MergePatch.apply(
                        ["schema": ["openAPIV3Schema": ["properties": ["spec": ["x-kubernetes-validations": [["rule": .string(rule)]]]]]]],
                        to: crd[path: "spec", "versions"]?.arrayValue?.first ?? [:])
                ]]], to: crd)
            let status = await refusal { try await client.create(.customResourceDefinitions, namespace: nil, object: crd) }
            #expect(status?.code == 422)
            #expect(
                status?.details?.causes == [
                    APIStatus.Cause(
                        reason: "FieldValueInvalid",
                        message: #"Invalid value: "\#(rule)": kubesim's CEL evaluator does not support the macro: .map()"#,
                        field: "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule")
                ])
            let missing = await refusal { try await client.get(.customResourceDefinitions, namespace: nil, name: "appreleases.apprelease.dev") }
            #expect(missing?.code == 404)
        }
    }
}
