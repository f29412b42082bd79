import ControllerRuntime
import KubeModels
import Synchronization
import Testing

@testable import AppReleaseController

/// The controller's own bookkeeping, without a cluster: the cache-lag guard and owner mapping.
@Suite("AppRelease controller parts")
struct ControllerPartsTests {
    private func replicaSet(_ name: String, version: String, uid: String = "rs-uid") -> JSONValue {
        ["metadata": ["name": .string(name), "namespace": "shop", "uid": .string(uid), "resourceVersion": .string(version)]]
    }

    @Test("a write is awaited until the cache shows that version or a later one")
    func waitsForOwnWrite() {
        let expectations = WriteExpectations()
        expectations.wrote("replicasets", object: replicaSet("web-1", version: "10"), owner: "ar-1")
        #expect(!expectations.caughtUp(owner: "ar-1") { _ in replicaSet("web-1", version: "9") })
        // Another AppRelease's writes are not its business.
        #expect(expectations.caughtUp(owner: "ar-2") { _ in nil })
        #expect(expectations.caughtUp(owner: "ar-1") { _ in replicaSet("web-1", version: "11") })
        // Confirmed once: forgotten.
        #expect(expectations.caughtUp(owner: "ar-1") { _ in replicaSet("web-1", version: "9") })
    }

    @Test("a deletion is awaited until the cache no longer holds that object, and a lost event cannot wedge it")
    func waitsForDeletionThenExpires() {
        let clock = Mutex(ContinuousClock.now)
        let expectations = WriteExpectations(lifetime: .seconds(30), now: { clock.withLock { $0 } })
        expectations.deleted("replicasets", name: "web-1", uid: "rs-uid", owner: "ar-1")
        #expect(!expectations.caughtUp(owner: "ar-1") { _ in replicaSet("web-1", version: "5") })
        // A namesake (new uid) is a different object: the deletion was seen.
        #expect(expectations.caughtUp(owner: "ar-1") { _ in replicaSet("web-1", version: "6", uid: "other") })

        expectations.deleted("replicasets", name: "web-2", uid: "rs-2", owner: "ar-1")
        clock.withLock { $0 += .seconds(29) }
        #expect(!expectations.caughtUp(owner: "ar-1") { _ in replicaSet("web-2", version: "5", uid: "rs-2") })
        clock.withLock { $0 += .seconds(1) }
        #expect(expectations.caughtUp(owner: "ar-1") { _ in replicaSet("web-2", version: "5", uid: "rs-2") })
    }

    @Test("ReplicaSets map to their controlling AppRelease only, matched by group and kind")
    func replicaSetOwner() {
        let owned: JSONValue = [
            "metadata": [
                "name": "web-abc", "namespace": "shop",
                "ownerReferences": [
                    ["apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease", "name": "web", "uid": "u1", "controller": true]
                ],
            ]
        ]
        #expect(Ownership.appRelease(ofReplicaSet: owned) == ObjectKey(namespace: "shop", name: "web"))
        let deployment: JSONValue = [
            "metadata": [
                "name": "web-abc", "namespace": "shop",
                "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "u2", "controller": true]],
            ]
        ]
        #expect(Ownership.appRelease(ofReplicaSet: deployment) == nil)
        let notController: JSONValue = [
            "metadata": [
                "name": "web-abc", "namespace": "shop",
                "ownerReferences": [["apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease", "name": "web", "uid": "u1"]],
            ]
        ]
        #expect(Ownership.appRelease(ofReplicaSet: notController) == nil)
        let otherGroup: JSONValue = [
            "metadata": [
                "name": "web-abc", "namespace": "shop",
                "ownerReferences": [["apiVersion": "rollouts.example/v1", "kind": "AppRelease", "name": "web", "uid": "u3", "controller": true]],
            ]
        ]
        #expect(Ownership.appRelease(ofReplicaSet: otherGroup) == nil, "owners are matched by group and kind")
    }
}
