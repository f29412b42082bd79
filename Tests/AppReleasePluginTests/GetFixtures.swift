import KubeModels

@testable import AppReleasePlugin

/// The objects around `StatusFixtures.canaryAtStep2`: its ReplicaSets, their pods, its Events,
/// and the Services and HTTPRoute of its canary, as the API server serves them.
enum GetFixtures {
    static let parse = StatusFixtures.parse
    static let new = StatusFixtures.newRevision
    static let stable = StatusFixtures.stableRevision

    static func replicaSet(
        revision: String, number: Int, image: String, replicas: Int, ready: Int, available: Int, owner: String = "uid-web"
    ) -> JSONValue {
        parse(
            """
            {"apiVersion": "apps/v1", "kind": "ReplicaSet",
             "metadata": {"name": "web-\(revision)", "namespace": "shop", "uid": "rs-\(revision)",
               "labels": {"app": "web", "apprelease.dev/revision": "\(revision)"},
               "annotations": {"apprelease.dev/revision-number": "\(number)", "apprelease.dev/image": "\(image)"},
               "ownerReferences": [{"apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease", "name": "web", "uid": "\(owner)", "controller": true}]},
             "spec": {"replicas": \(replicas), "template": {"spec": {"containers": [{"name": "app", "image": "\(image)"}]}}},
             "status": {"replicas": \(replicas), "readyReplicas": \(ready), "availableReplicas": \(available)}}
            """)
    }

    /// A pod of `revision`; `status` is the pod's status object.
    static func pod(_ name: String, revision: String, status: String, deleting: Bool = false) -> JSONValue {
        parse(
            """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "\(name)", "namespace": "shop", "uid": "pod-\(name)",
               "labels": {"app": "web", "apprelease.dev/revision": "\(revision)"},
               \(deleting ? #""deletionTimestamp": "2025-01-01T10:00:18Z","# : "")
               "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-\(revision)", "uid": "rs-\(revision)", "controller": true}]},
             "spec": {"containers": [{"name": "app"}]},
             "status": \(status)}
            """)
    }

    static let running = """
        {"phase": "Running", "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2025-01-01T09:00:00Z"}],
         "containerStatuses": [{"name": "app", "ready": true, "restartCount": 0, "state": {"running": {"startedAt": "2025-01-01T09:00:00Z"}}}]}
        """

    static let crashLooping = """
        {"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}],
         "containerStatuses": [{"name": "app", "ready": false, "restartCount": 2,
           "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 20s restarting failed container=app pod=web-5d6d7bdfdf-x7k2p"}},
           "lastState": {"terminated": {"reason": "Error", "exitCode": 1}}}]}
        """

    static let pullError = """
        {"phase": "Pending", "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
           "state": {"waiting": {"reason": "ErrImagePull", "message": "failed to pull and unpack image: not found"}}}]}
        """

    static func event(_ name: String, reason: String, message: String, at time: String, type: String = "Normal", count: Int = 1, uid: String = "uid-web") -> JSONValue {
        parse(
            """
            {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "\(name)", "namespace": "shop"},
             "involvedObject": {"apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease", "name": "web", "namespace": "shop", "uid": "\(uid)"},
             "reason": "\(reason)", "message": "\(message)", "type": "\(type)", "count": \(count),
             "firstTimestamp": "\(time)", "lastTimestamp": "\(time)"}
            """)
    }

    static func service(_ name: String, pinnedTo revision: String?) -> JSONValue {
        let pin = revision.map { #", "apprelease.dev/revision": "\#($0)""# } ?? ""
        return parse(#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "\#(name)", "namespace": "shop"}, "spec": {"selector": {"app": "web"\#(pin)}}}"#)
    }

    static let route = parse(
        """
        {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "web", "namespace": "shop", "resourceVersion": "7"},
         "spec": {"rules": [{"backendRefs": [{"name": "web-stable", "port": 80, "weight": 75}, {"name": "web-canary", "port": 80, "weight": 25}]}]}}
        """)

    /// The canary at its second step: one new pod crash-looping and one that cannot pull, three
    /// stable pods (one of them terminating), a scaled-down first revision, and a ReplicaSet
    /// of another owner that must not show.
    static var canaryObjects: ReleaseObjects {
        ReleaseObjects(
            appRelease: StatusFixtures.canaryAtStep2,
            replicaSets: [
                replicaSet(revision: new, number: 3, image: StatusFixtures.newImage, replicas: 2, ready: 0, available: 0),
                replicaSet(revision: stable, number: 2, image: StatusFixtures.stableImage, replicas: 3, ready: 3, available: 3),
                replicaSet(revision: "6b5c4d3f2", number: 1, image: StatusFixtures.stableImage, replicas: 0, ready: 0, available: 0),
                replicaSet(revision: "8f7d6c5b4", number: 9, image: StatusFixtures.newImage, replicas: 1, ready: 1, available: 1, owner: "someone-else"),
            ],
            pods: [
                pod("web-\(new)-x7k2p", revision: new, status: crashLooping),
                pod("web-\(new)-q9w8e", revision: new, status: pullError),
                pod("web-\(stable)-a1b2c", revision: stable, status: running),
                pod("web-\(stable)-d3e4f", revision: stable, status: running),
                pod("web-\(stable)-g5h6i", revision: stable, status: running, deleting: true),
            ],
            events: [
                event("web.3", reason: "StepCompleted", message: "Step 1/5 completed: canary at 25%", at: "2025-01-01T10:00:05Z"),
                event("web.1", reason: "ReleaseStarted", message: "Release of revision \(new) started", at: "2025-01-01T10:00:00Z"),
                event("web.2", reason: "ScalingReplicaSet", message: "Scaled up ReplicaSet web-\(new) (revision 3) from 0 to 2", at: "2025-01-01T10:00:01Z", count: 2),
                event("web.0", reason: "ReleaseFailed", message: "from an AppRelease web deleted long ago", at: "2024-12-01T10:00:00Z", type: "Warning", uid: "uid-old"),
            ],
            services: ["web-stable": service("web-stable", pinnedTo: stable), "web-canary": service("web-canary", pinnedTo: new)],
            httpRoute: route)
    }
}
