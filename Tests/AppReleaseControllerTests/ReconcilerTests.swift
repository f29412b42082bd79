import AppReleaseAPI
import ControllerRuntime
import KubeClient
import KubeModels
import RolloutEngine
import TestSupport
import Testing

@testable import AppReleaseController

/// The reconciler and the plan executor against the fake API server: what each answer of the
/// cluster (AlreadyExists, 409, a stale cache, someone else's ReplicaSet) makes the controller do.
@Suite("AppRelease reconciler")
struct ReconcilerTests {
    static let conflict = KubernetesError.api(APIStatus(code: 409, reason: "Conflict", message: "the object has been modified"))

    @Test("a first reconcile creates the revision's ReplicaSet, owned by the AppRelease, and writes status")
    func createsTheFirstReplicaSet() async throws {
        try await ReconcilerHarness.with { harness in
            let uid = try await harness.createAppRelease()
            _ = try await harness.reconciler.reconcile(ReconcilerHarness.key)
            let created = try #require(harness.stored(.replicaSets, try harness.revisionReplicaSetName))
            #expect(created.meta.controller(.appReleases)?.uid == uid)
            #expect(harness.stored(.appReleases, ReconcilerHarness.name)?[path: "status", "observedGeneration"] == 1)
        }
    }

    @Test("an orphaned ReplicaSet of ours with the revision's name is adopted, guarded by its resourceVersion")
    func adoptsAnOrphan() async throws {
        try await ReconcilerHarness.with { harness in
            let name = try harness.revisionReplicaSetName
            try await harness.api.create(.replicaSets, namespace: ReconcilerHarness.namespace, object: try harness.replicaSetJSON(name: name, owner: nil))
            let uid = try await harness.createAppRelease()
            let result = try await harness.reconciler.reconcile(ReconcilerHarness.key)
            #expect(result == .requeue, "adoption is followed by a fresh look")
            #expect(harness.stored(.replicaSets, name)?.meta.controller(.appReleases)?.uid == uid)
        }
    }

    @Test("a ReplicaSet of that name controlled by something else is never touched: a terminal error and a Warning")
    func refusesSomeoneElsesReplicaSet() async throws {
        try await ReconcilerHarness.with { harness in
            let name = try harness.revisionReplicaSetName
            let deployment = OwnerReference.controller(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d-1")
            try await harness.api.create(
                .replicaSets, namespace: ReconcilerHarness.namespace, object: try harness.replicaSetJSON(name: name, owner: deployment))
            try await harness.createAppRelease()
            let before = harness.stored(.replicaSets, name)
            await #expect(throws: TerminalError.self) { try await harness.reconciler.reconcile(ReconcilerHarness.key) }
            #expect(harness.stored(.replicaSets, name) == before, "someone else's ReplicaSet was modified")
            try await eventually("a ReplicaSetConflict Warning") {
                harness.api.objects(.events).values.contains { $0["reason"] == "ReplicaSetConflict" && $0["type"] == "Warning" }
            }
        }
    }

    @Test("AlreadyExists for a ReplicaSet that then cannot be found means look again, not fail")
    func alreadyExistsThenGoneRequeues() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            harness.api.inject(
                .api(APIStatus(code: 409, reason: "AlreadyExists", message: "exists")), on: "POST", .replicaSets)
            #expect(try await harness.reconciler.reconcile(ReconcilerHarness.key) == .requeue)
            #expect(harness.api.objects(.replicaSets).isEmpty)
            #expect(harness.stored(.appReleases, ReconcilerHarness.name)?["status"] == nil, "no status from a plan that was cut short")
            _ = try await harness.reconciler.reconcile(ReconcilerHarness.key)
            #expect(harness.api.objects(.replicaSets).count == 1)
        }
    }

    @Test("a 409 on a ReplicaSet write requeues without failing the release; the next pass does the write")
    func conflictOnReplicaSetWrite() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            _ = try await harness.reconciler.reconcile(ReconcilerHarness.key)
            try await harness.waitForCaches()
            let name = try harness.revisionReplicaSetName
            #expect(harness.stored(.replicaSets, name)?[path: "spec", "replicas"] == 3)

            try await harness.api.patch(.appReleases, namespace: ReconcilerHarness.namespace, name: ReconcilerHarness.name,
                patch: .merge(["spec": ["replicas": 5], "metadata": ["generation": 2]]))
            try await harness.waitForCaches()
            harness.api.inject(Self.conflict, on: "PATCH", .replicaSets)
            #expect(try await harness.reconciler.reconcile(ReconcilerHarness.key) == .requeue)
            #expect(harness.stored(.replicaSets, name)?[path: "spec", "replicas"] == 3)
            _ = try await harness.reconciler.reconcile(ReconcilerHarness.key)
            #expect(harness.stored(.replicaSets, name)?[path: "spec", "replicas"] == 5)
        }
    }

    @Test("stableImageShort (the Serving printer column) goes out in the reconcile's one status write, also over an older controller's status")
    func servingColumnInTheOneStatusWrite() async throws {
        try await ReconcilerHarness.with { harness in
            let spec = try RolloutEngine.validate(harness.appReleaseJSON["spec"] ?? .null).get()
            var object = harness.appReleaseJSON
            object["status"] = ["stableRevision": .string(spec.revision), "stableImage": .string(ReconcilerHarness.image)]
            _ = try await harness.api.create(.appReleases, namespace: ReconcilerHarness.namespace, object: object)
            try await harness.waitForCaches()
            _ = try await harness.reconciler.reconcile(ReconcilerHarness.key)
            let writes = harness.api.requestLog().filter { $0.verb == "PATCH" && $0.resource == "appreleases" }
            #expect(writes.count == 1, "\(writes)")
            let status = harness.stored(.appReleases, ReconcilerHarness.name)?["status"]
            #expect(status?["stableImageShort"] == "web@aaaaaaaaaaaa")
            #expect(status?["currentImageShort"] == "web@aaaaaaaaaaaa")
        }
    }

    @Test("a 409 on the status write requeues")
    func conflictOnStatusWrite() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            harness.api.inject(Self.conflict, on: "PATCH", .appReleases, subresource: "status")
            #expect(try await harness.reconciler.reconcile(ReconcilerHarness.key) == .requeue)
            #expect(harness.stored(.appReleases, ReconcilerHarness.name)?["status"] == nil)
        }
    }

    @Test("status computed from a stale AppRelease is refused by its resourceVersion, then written once the cache catches up")
    func staleStatusIsGuardedByResourceVersion() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            // The cache freezes; meanwhile someone else changes the AppRelease on the server.
            harness.api.holdNewWatches()
            harness.api.dropWatches()
            try await harness.api.patch(.appReleases, namespace: ReconcilerHarness.namespace, name: ReconcilerHarness.name,
                patch: .merge(["metadata": ["annotations": ["team": "shop"]]]))
            let first = try await harness.reconciler.reconcile(ReconcilerHarness.key)
            #expect(first == .requeue)
            #expect(harness.stored(.appReleases, ReconcilerHarness.name)?["status"] == nil, "a stale status overwrote a newer object")

            harness.api.releaseWatches()
            try await harness.waitForCaches()
            _ = try await harness.reconciler.reconcile(ReconcilerHarness.key)
            #expect(harness.stored(.appReleases, ReconcilerHarness.name)?[path: "status", "observedGeneration"] == 1)
        }
    }

    @Test("a change of pod counts alone waits for the batch period and then goes out; a verdict is written at once")
    func progressFiguresAreBatchedAndVerdictsAreNot() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            let key = ReconcilerHarness.key
            let name = try harness.revisionReplicaSetName
            _ = try await harness.reconciler.reconcile(key)  // creates the ReplicaSet; the release starts
            #expect(harness.stored(.appReleases, ReconcilerHarness.name)?[path: "status", "phase"] == "Progressing")
            try await harness.waitForCaches()

            func setReplicaSetStatus(replicas: Int, available: Int) async throws {
                let status: JSONValue = [
                    "replicas": .int(Int64(replicas)), "readyReplicas": .int(Int64(available)),
                    "availableReplicas": .int(Int64(available)),
                ]
                try await harness.api.patch(
                    .replicaSets, namespace: ReconcilerHarness.namespace, name: name, patch: .merge(["status": status]),
                    subresource: "status")
                try await harness.waitForCaches()
            }
            func storedStatus(_ field: String) -> JSONValue? {
                harness.stored(.appReleases, ReconcilerHarness.name)?[path: "status", field]
            }

            // Pods exist but none is available yet: only the counts move.
            try await setReplicaSetStatus(replicas: 3, available: 0)
            let batched = try await harness.reconciler.reconcile(key)
            guard case .requeueAfter(let wait) = batched else {
                Issue.record("expected a timer for the batched write, got \(batched)")
                return
            }
            #expect(wait > .zero && wait <= .seconds(AppReleaseReconciler.defaultStatusBatchPeriod))
            #expect(storedStatus("replicas") == 0, "a count-only change went out inside the batch period")

            harness.advanceClock(by: wait)
            _ = try await harness.reconciler.reconcile(key)
            #expect(storedStatus("replicas") == 3, "the batched counts never went out")
            try await harness.waitForCaches()

            // All available: the verdict goes out at once, inside the period of the last write.
            try await setReplicaSetStatus(replicas: 3, available: 3)
            _ = try await harness.reconciler.reconcile(key)
            #expect(storedStatus("phase") == "Healthy")
            #expect(storedStatus("availableReplicas") == 3)
        }
    }

    @Test("after its own writes the reconciler waits for the cache, and stops waiting once the expectation expires")
    func writeExpectationsExpireOnTheInjectedClock() async throws {
        try await ReconcilerHarness.with { harness in
            try await harness.createAppRelease()
            // The cache will not see the writes of this pass.
            harness.api.holdNewWatches()
            harness.api.dropWatches()
            _ = try await harness.reconciler.reconcile(ReconcilerHarness.key)
            let requests = harness.api.requestCount
            #expect(try await harness.reconciler.reconcile(ReconcilerHarness.key) == .requeueAfter(AppReleaseReconciler.cacheLagRecheck))
            #expect(harness.api.requestCount == requests, "acted on a cache that lags its own writes")

            harness.advanceClock(by: .seconds(29))
            #expect(try await harness.reconciler.reconcile(ReconcilerHarness.key) == .requeueAfter(AppReleaseReconciler.cacheLagRecheck))
            harness.advanceClock(by: .seconds(1))
            #expect(try await harness.reconciler.reconcile(ReconcilerHarness.key) != .requeueAfter(AppReleaseReconciler.cacheLagRecheck))
            harness.api.releaseWatches()
        }
    }
}
