import KubeModels

/// Fixed AppRelease versions, as the API server serves them, for the verdict, line and view
/// tests: one spec (a canary of 5 steps over 3 replicas) at generation 2, and statuses the
/// controller writes at the moments that matter.
enum StatusFixtures {
    static func parse(_ text: String) -> JSONValue {
        do { return try JSONValue(parsing: text) } catch { fatalError("fixture does not parse: \(error)\n\(text)") }
    }

    static let spec = """
        {"image": "registry.example/web@sha256:5d6d7bdfdf0123456789abcdef0123456789abcdef0123456789abcdef012345",
         "replicas": 3,
         "selector": {"matchLabels": {"app": "web"}},
         "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app"}]}},
         "strategy": {"type": "Canary", "canary": {
            "stableService": "web-stable", "canaryService": "web-canary", "trafficRouting": {"httpRoute": {"name": "web"}},
            "steps": [{"setWeight": 25}, {"pause": {"duration": "30s"}}, {"setWeight": 50}, {"pause": {}}, {"setWeight": 100}]}}}
        """

    /// An AppRelease `web` in `shop` at `generation` with `status` (a JSON object's text).
    static func appRelease(generation: Int = 2, status: String) -> JSONValue {
        parse(
            """
            {"apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease",
             "metadata": {"name": "web", "namespace": "shop", "uid": "uid-web", "generation": \(generation), "resourceVersion": "1"},
             "spec": \(spec),
             "status": \(status)}
            """)
    }

    static func condition(_ type: String, _ status: String, _ reason: String, generation: Int, message: String = "") -> String {
        #"{"type": "\#(type)", "status": "\#(status)", "reason": "\#(reason)", "message": "\#(message)", "observedGeneration": \#(generation), "lastTransitionTime": "2025-01-01T10:00:00Z"}"#
    }

    /// The eight conditions as the controller sets them, all at `generation`, with overrides.
    static func conditions(generation: Int, _ overrides: [String: (String, String, String)]) -> String {
        let normal: [(String, String, String)] = [
            ("Ready", "True", "ReleaseComplete"), ("Available", "True", "MinimumReplicasAvailable"),
            ("Progressing", "True", "ReleaseComplete"), ("Degraded", "False", "AsExpected"), ("Paused", "False", "NotPaused"),
            ("InvalidSpec", "False", "SpecValid"), ("Reconciling", "False", "ReleaseComplete"), ("Stalled", "False", "AsExpected"),
        ]
        let all = normal.map { type, status, reason in
            let (s, r, m) = overrides[type] ?? (status, reason, "")
            return condition(type, s, r, generation: generation, message: m)
        }
        return "[" + all.joined(separator: ", ") + "]"
    }

    static let stableRevision = "7c9f8b6d5"
    static let newRevision = "5d6d7bdfdf"
    static let stableImage = "registry.example/web@sha256:0a1b2c3d4e5f0123456789abcdef0123456789abcdef0123456789abcdef0123"
    static let newImage = "registry.example/web@sha256:5d6d7bdfdf0123456789abcdef0123456789abcdef0123456789abcdef012345"

    /// Generation 1 was released and is Ready; generation 2 (a new digest) was just patched in
    /// and the controller has not written a status for it yet.
    static let staleReady = appRelease(
        status: """
            {"observedGeneration": 1, "phase": "Healthy", "message": "Revision \(stableRevision) is available: 3 of 3 pods",
             "currentRevision": "\(stableRevision)", "stableRevision": "\(stableRevision)", "stableImage": "\(stableImage)",
             "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
             "conditions": \(conditions(generation: 1, [:]))}
            """)

    /// Generation 2 at its second step: canary at 25%, one of three new pods available so far.
    static let canaryAtStep2 = appRelease(
        status: """
            {"observedGeneration": 2, "phase": "Paused", "message": "canary at 25%, step 2/5, paused 18s more",
             "selector": "app=web",
             "currentRevision": "\(newRevision)", "currentImage": "\(newImage)", "currentImageShort": "web@5d6d7bdfdf01",
             "stableRevision": "\(stableRevision)", "stableImage": "\(stableImage)",
             "replicas": 4, "updatedReplicas": 1, "readyReplicas": 4, "availableReplicas": 4,
             "currentStepIndex": 1, "canaryWeight": 25,
             "release": {"revision": "\(newRevision)", "image": "\(newImage)", "startedAt": "2025-01-01T10:00:00Z",
                         "lastProgressAt": "2025-01-01T10:00:05Z", "maxAvailable": 1, "stepIndex": 1, "stepStartedAt": "2025-01-01T10:00:05Z"},
             "conditions": \(conditions(generation: 2, [
                "Ready": ("False", "CanaryPauseStep", "canary at 25%, step 2/5, paused 18s more"),
                "Progressing": ("True", "CanaryPauseStep", "canary at 25%, step 2/5, paused 18s more"),
                "Paused": ("True", "CanaryPauseStep", "the release waits until 2025-01-01T10:00:35Z"),
                "Reconciling": ("True", "CanaryPauseStep", "canary at 25%, step 2/5, paused 18s more"),
             ]))}
            """)

    /// Generation 2 failed (its pods crash-looped) and the stable revision is being restored.
    static let rolledBack = appRelease(
        status: """
            {"observedGeneration": 2, "phase": "RolledBack",
             "message": "Release of \(newImage) failed (CrashLoop: pod web-\(newRevision)-x7k2p: container app is in CrashLoopBackOff after 1 restarts); rolling back to revision \(stableRevision): 2 of 3 pods available",
             "currentRevision": "\(newRevision)", "stableRevision": "\(stableRevision)", "stableImage": "\(stableImage)",
             "replicas": 4, "updatedReplicas": 1, "readyReplicas": 2, "availableReplicas": 2,
             "failure": {"revision": "\(newRevision)", "image": "\(newImage)", "reason": "CrashLoop",
                         "message": "pod web-\(newRevision)-x7k2p: container app is in CrashLoopBackOff after 1 restarts", "failedAt": "2025-01-01T10:01:00Z"},
             "conditions": \(conditions(generation: 2, [
                "Ready": ("False", "CrashLoop", "release failed"),
                "Progressing": ("False", "CrashLoop", "pod web-\(newRevision)-x7k2p: container app is in CrashLoopBackOff after 1 restarts"),
                "Degraded": ("True", "CrashLoop", "Release of web failed (CrashLoop); rolling back to revision \(stableRevision)"),
                "Reconciling": ("True", "RollingBack", "rolling back"),
                "Stalled": ("True", "CrashLoop", "revision \(newRevision) is not retried until the spec changes or apprelease.dev/retry is set"),
             ]))}
            """)

    /// Generation 2 released and Ready.
    static let ready = appRelease(
        status: """
            {"observedGeneration": 2, "phase": "Healthy", "message": "Revision \(newRevision) is available: 3 of 3 pods",
             "currentRevision": "\(newRevision)", "stableRevision": "\(newRevision)", "stableImage": "\(newImage)",
             "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
             "conditions": \(conditions(generation: 2, [:]))}
            """)

    /// Generation 2 cannot move: the canary Service does not exist.
    static let serviceMissing = appRelease(
        status: """
            {"observedGeneration": 2, "phase": "Progressing", "message": "Service web-canary (spec.strategy.canary.canaryService) not found; canary at 25%, step 1/5",
             "currentRevision": "\(newRevision)", "stableRevision": "\(stableRevision)",
             "replicas": 3, "updatedReplicas": 0, "readyReplicas": 3, "availableReplicas": 3, "currentStepIndex": 0, "canaryWeight": 25,
             "release": {"revision": "\(newRevision)", "image": "\(newImage)", "startedAt": "2025-01-01T10:00:00Z", "maxAvailable": 0, "stepIndex": 0},
             "conditions": \(conditions(generation: 2, [
                "Ready": ("False", "ServiceNotFound", "Service web-canary (spec.strategy.canary.canaryService) not found"),
                "Stalled": ("True", "ServiceNotFound", "Service web-canary (spec.strategy.canary.canaryService) not found"),
                "Reconciling": ("True", "ReleaseInProgress", ""),
             ]))}
            """)

    /// Generation 3 is invalid; the Degraded=True of generation 2's failure was left as it was
    /// (an invalid spec updates only InvalidSpec, Ready, Reconciling and Stalled).
    static let invalidAfterFailure = appRelease(
        generation: 3,
        status: """
            {"observedGeneration": 3, "phase": "InvalidSpec", "message": "Invalid spec: spec.image: must be pinned by digest",
             "conditions": [
                \(condition("InvalidSpec", "True", "InvalidSpec", generation: 3, message: "spec.image: must be pinned by digest (name@sha256:<64 hex>), got web:latest")),
                \(condition("Ready", "False", "InvalidSpec", generation: 3, message: "the spec cannot be acted on")),
                \(condition("Degraded", "True", "CrashLoop", generation: 2)),
                \(condition("Stalled", "True", "InvalidSpec", generation: 3))]}
            """)

    /// Generation 3 (a new digest after the failed generation 2) is on its way; Degraded of
    /// generation 2 is still in the list with its old observedGeneration.
    static let releasingAfterFailure = appRelease(
        generation: 3,
        status: """
            {"observedGeneration": 3, "phase": "Progressing", "message": "Rolling out revision 9b8c7d6f5: 1 of 3 new pods available",
             "currentRevision": "9b8c7d6f5", "stableRevision": "\(stableRevision)", "availableReplicas": 3,
             "release": {"revision": "9b8c7d6f5", "image": "\(newImage)", "startedAt": "2025-01-01T10:00:00Z", "maxAvailable": 1},
             "conditions": [
                \(condition("Ready", "False", "ReleaseInProgress", generation: 3)),
                \(condition("Degraded", "True", "CrashLoop", generation: 2)),
                \(condition("Stalled", "True", "CrashLoop", generation: 2))]}
            """)

    /// Blue/green waiting for `promote`.
    static let awaitingPromotion = appRelease(
        status: """
            {"observedGeneration": 2, "phase": "Paused", "message": "Revision \(newRevision) is ready: waiting for promotion",
             "currentRevision": "\(newRevision)", "stableRevision": "\(stableRevision)", "availableReplicas": 6,
             "release": {"revision": "\(newRevision)", "image": "\(newImage)", "startedAt": "2025-01-01T10:00:00Z", "maxAvailable": 3},
             "conditions": \(conditions(generation: 2, [
                "Ready": ("False", "AwaitingPromotion", ""), "Paused": ("True", "AwaitingPromotion", "the release waits until promoted"),
             ]))}
            """)
}
