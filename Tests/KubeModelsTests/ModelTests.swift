import Foundation
import KubeModels
import Testing

@Suite struct ModelTests {
    @Test func readsMetadataThroughTheView() throws {
        let json = #"""
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-abc","namespace":"default","uid":"u1",
             "resourceVersion":"42","generation":2,"labels":{"app":"web","n":1},"annotations":{"a":"b"},"finalizers":["f"],
             "deletionTimestamp":"2024-01-02T03:04:05Z","deletionGracePeriodSeconds":30,
             "ownerReferences":[{"apiVersion":"v1","kind":"Service","name":"s","uid":"o0"},
               {"apiVersion":"apprelease.dev/v1alpha1","kind":"AppRelease","name":"web","uid":"o1","controller":true,"blockOwnerDeletion":true}]}}
            """#
        let meta = try JSONValue(parsing: json).meta
        #expect(meta.name == "web-abc" && meta.namespace == "default" && meta.uid == "u1")
        #expect(meta.resourceVersion == "42" && meta.generation == 2)
        #expect(meta.labels == ["app": "web"], "non-string values are skipped")
        #expect(meta.annotations == ["a": "b"] && meta.finalizers == ["f"])
        #expect(meta.isDeleting && meta.deletionGracePeriodSeconds == 30)
        #expect(meta.apiVersion == "apps/v1" && meta.kind == "ReplicaSet")
        #expect(meta.ownerReferences.map(\.uid) == ["o0", "o1"])
        let owner = try #require(meta.controllerReference)
        #expect(owner.kind == "AppRelease" && owner.group == "apprelease.dev")
        let appReleases = GroupVersionResource(group: "apprelease.dev", version: "v1", resource: "appreleases", kind: "AppRelease", namespaced: true)
        #expect(meta.controller(appReleases)?.name == "web", "any version of the group")
        let otherGroup = GroupVersionResource(group: "other.dev", version: "v1alpha1", resource: "appreleases", kind: "AppRelease", namespaced: true)
        #expect(meta.controller(otherGroup) == nil)
        #expect(JSONValue.object([:]).meta.name.isEmpty && !JSONValue.object([:]).meta.isDeleting)
    }

    @Test func buildsControllerReferences() throws {
        let reference = OwnerReference.controller(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1", uid: "u")
        #expect(reference.json == ["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "u", "controller": true, "blockOwnerDeletion": true])
        #expect(OwnerReference(json: reference.json) == reference)
        #expect(reference.group == "apps")
        #expect(OwnerReference(apiVersion: "v1", kind: "Service", name: "s", uid: "x").group == "")
    }

    @Test func kubeTimeRoundTrips() throws {
        let date = try #require(KubeTime.parse("2024-02-29T23:59:58Z"))
        #expect(KubeTime.format(date) == "2024-02-29T23:59:58Z")
        #expect(date.timeIntervalSince1970 == 1_709_251_198)
        let micro = try #require(KubeTime.parse("2024-01-02T03:04:05.123456Z"))
        #expect(KubeTime.formatMicro(micro) == "2024-01-02T03:04:05.123456Z")
        let offset = try #require(KubeTime.parse("2024-01-02T05:04:05+02:00"))
        #expect(KubeTime.format(offset) == "2024-01-02T03:04:05Z")
        #expect(KubeTime.parse("2024-13-01T00:00:00Z") == nil)
        #expect(KubeTime.parse("yesterday") == nil)
        #expect(KubeTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }
}
