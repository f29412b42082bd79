import Foundation
import KubeModels
import TestSupport
import Testing

@testable import KubeSim

@Suite struct ClusterGarbageCollectionTests {
    /// A custom resource standing in for an AppRelease that owns ReplicaSets.
    static func createOwner(_ fixture: ClusterFixture, _ name: String) throws -> OwnerReference {
        fixture.store.register(ResourceInfo(gvr: .ownerCustomResource, hasStatus: true))
        let owner = try fixture.store.create(
            .ownerCustomResource, namespace: "default",
            object: ["apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease", "metadata": ["name": .string(name)], "spec": [:]])
        return OwnerReference(
            apiVersion: "apprelease.dev/v1alpha1", kind: "AppRelease", name: name, uid: ObjectMetadata(owner).uid, controller: true,
            blockOwnerDeletion: true)
    }

    @Test func backgroundDeletionRemovesOwnerFirstThenReplicaSetsAndPods() async throws {
        try await withCluster { fixture in
            let owner = try Self.createOwner(fixture, "shop")
            try fixture.createReplicaSet("shop-v1", replicas: 2, owner: owner)
            try fixture.createReplicaSet("shop-v2", replicas: 1, owner: owner)
            try await fixture.waitForReady("shop-v1", 2)
            try await fixture.waitForReady("shop-v2", 1)
            let recorder = StoreEventLog(fixture.store)
            defer { recorder.stop() }
            let outcome = try fixture.store.delete(
                .ownerCustomResource, namespace: "default", name: "shop", options: StoreDeleteOptions(propagationPolicy: .background))
            guard case .deleted = outcome else {
                Issue.record("background deletion removes the owner at once")
                return
            }
            try await eventually("ReplicaSets and pods are collected") {
                fixture.store.list(.replicaSets, namespace: "default").items.isEmpty
                    && fixture.store.list(.pods, namespace: "default").items.isEmpty
            }
            try await recorder.caughtUp()
            let deletions = recorder.recorded.filter { $0.type == .deleted }.map(\.key.resource)
            #expect(deletions.first == "appreleases")
            #expect(deletions.filter { $0 == "replicasets" }.count == 2)
            #expect(deletions.filter { $0 == "pods" }.count == 3)
        }
    }

    @Test func foregroundDeletionRemovesDependentsBeforeTheOwner() async throws {
        try await withCluster { fixture in
            let owner = try Self.createOwner(fixture, "shop")
            try fixture.createReplicaSet("shop-v1", replicas: 2, owner: owner)
            try await fixture.waitForReady("shop-v1", 2)
            let recorder = StoreEventLog(fixture.store)
            defer { recorder.stop() }
            let outcome = try fixture.store.delete(
                .ownerCustomResource, namespace: "default", name: "shop", options: StoreDeleteOptions(propagationPolicy: .foreground))
            guard case .pending(let marked) = outcome else {
                Issue.record("foreground deletion keeps the owner until its dependents are gone")
                return
            }
            #expect(ObjectMetadata(marked).finalizers.contains("foregroundDeletion"))
            #expect(ObjectMetadata(marked).isDeleting)
            try await eventually("owner, ReplicaSet and pods are gone") {
                (try? fixture.store.get(.ownerCustomResource, namespace: "default", name: "shop")) == nil
                    && fixture.store.list(.replicaSets, namespace: "default").items.isEmpty
                    && fixture.store.list(.pods, namespace: "default").items.isEmpty
            }
            try await recorder.caughtUp()
            let deletions = recorder.recorded.filter { $0.type == .deleted }.map(\.key.resource)
            #expect(deletions == ["pods", "pods", "replicasets", "appreleases"])
            // The ReplicaSet itself was deleted in the foreground, waiting for its pods.
            let replicaSetMarked = recorder.recorded.contains {
                $0.key.resource == "replicasets" && ObjectMetadata($0.object).finalizers.contains("foregroundDeletion")
            }
            #expect(replicaSetMarked)
        }
    }

    @Test func orphanDeletionKeepsPodsWithoutOwnerReferences() async throws {
        try await withCluster { fixture in
            try fixture.createReplicaSet("web", replicas: 2)
            try await fixture.waitForReady("web", 2)
            let names = Set(fixture.pods(of: "web").map { ObjectMetadata($0).name })
            try fixture.store.delete(.replicaSets, namespace: "default", name: "web", options: StoreDeleteOptions(propagationPolicy: .orphan))
            try await eventually("the ReplicaSet is gone") { fixture.replicaSet("web") == nil }
            try await eventually("pods lost their owner reference") {
                let pods = fixture.store.list(.pods, namespace: "default").items
                return Set(pods.map { ObjectMetadata($0).name }) == names && pods.allSatisfy { ObjectMetadata($0).ownerReferences.isEmpty }
            }
        }
    }

    @Test func dependentOfAMissingOwnerIsCollected() async throws {
        try await withCluster { fixture in
            let ghost = OwnerReference(
                apiVersion: "v1", kind: "ConfigMap", name: "gone", uid: "00000000-0000-0000-0000-000000000000", controller: false,
                blockOwnerDeletion: false)
            try fixture.createReplicaSet("stray", replicas: 1, owner: ghost)
            try await eventually("the stray ReplicaSet is collected") { fixture.replicaSet("stray") == nil }
        }
    }

    @Test func replicaSetWithALiveSecondOwnerSurvives() async throws {
        try await withCluster { fixture in
            let owner = try Self.createOwner(fixture, "a")
            let config = try fixture.store.create(.configMaps, namespace: "default", object: ["metadata": ["name": "keep"]])
            let second = OwnerReference(
                apiVersion: "v1", kind: "ConfigMap", name: "keep", uid: ObjectMetadata(config).uid, controller: false, blockOwnerDeletion: false)
            var body = ClusterFixture.replicaSetBody("shared", replicas: 1, owner: owner)
            body.setValue([owner.json, second.json], atPath: ["metadata", "ownerReferences"])
            try fixture.store.create(.replicaSets, namespace: "default", object: body)
            try fixture.store.delete(.ownerCustomResource, namespace: "default", name: "a")
            try await eventually("the dangling reference is dropped") {
                fixture.replicaSet("shared").map { ObjectMetadata($0).ownerReferences.map(\.uid) == [second.uid] } ?? false
            }
        }
    }
}

extension GroupVersionResource {
    /// A custom resource that owns ReplicaSets, as an AppRelease does (kubesim knows no AppRelease).
    static let ownerCustomResource = GroupVersionResource(
        group: "apprelease.dev", version: "v1alpha1", resource: "appreleases", kind: "AppRelease", namespaced: true)
}
