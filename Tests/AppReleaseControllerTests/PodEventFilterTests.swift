import AppReleaseAPI
import ControllerRuntime
import KubeModels
import Testing

@testable import AppReleaseController

@Suite("Pod events that wake an AppRelease")
struct PodEventFilterTests {
    static let pod: JSONValue = [
        "metadata": [
            "name": "web-abc-1", "namespace": "shop", "creationTimestamp": "2026-12-07T10:00:00Z",
            "labels": [.init(stringLiteral: AppReleaseAPI.revisionLabel): "abc"],
            "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-abc", "uid": "rs-1", "controller": true]],
        ],
        "status": [
            "phase": "Pending",
            "containerStatuses": [["name": "web", "restartCount": 0, "state": ["waiting": ["reason": "ContainerCreating"]]]],
        ],
    ]

    func changed(_ edit: (inout JSONValue) -> Void) -> JSONValue {
        var pod = Self.pod
        edit(&pod)
        return pod
    }

    @Test("an update that changes nothing the engine reads wakes nobody")
    func irrelevantUpdatesAreDropped() {
        let placed = changed {
            $0["spec"] = ["nodeName": "node-1"]
            $0["status"]?["podIP"] = "10.0.0.7"
            $0["metadata"]?["resourceVersion"] = "42"
        }
        #expect(!Ownership.podChangeMatters(.updated, old: Self.pod, new: placed))
    }

    @Test("readiness, restarts, a waiting reason, deletion and a new controller each wake the AppRelease")
    func relevantUpdatesPass() {
        let edits: [(String, (inout JSONValue) -> Void)] = [
            ("ready", { $0["status"]?["conditions"] = [["type": "Ready", "status": "True", "lastTransitionTime": "2026-12-07T10:00:05Z"]] }),
            ("restarted", { $0["status"]?["containerStatuses"] = [["name": "web", "restartCount": 1]] }),
            ("pull error", {
                $0["status"]?["containerStatuses"] = [["name": "web", "restartCount": 0, "state": ["waiting": ["reason": "ErrImagePull"]]]]
            }),
            ("deleting", { $0["metadata"]?["deletionTimestamp"] = "2026-12-07T10:01:00Z" }),
            ("orphaned", { $0["metadata"]?["ownerReferences"] = [] }),
        ]
        for (what, edit) in edits {
            #expect(Ownership.podChangeMatters(.updated, old: Self.pod, new: changed(edit)), "\(what)")
        }
    }

    @Test("adds and deletes always pass")
    func addsAndDeletesPass() {
        #expect(Ownership.podChangeMatters(.added, old: nil, new: Self.pod))
        #expect(Ownership.podChangeMatters(.deleted, old: Self.pod, new: nil))
    }
}
