import KubeModels
import Testing

@testable import KubeSim

@Suite struct PatchTests {
    let pod: JSONValue = [
        "metadata": ["name": "p", "labels": ["a": "1", "b": "2"], "finalizers": ["x"]],
        "spec": [
            "containers": [
                [
                    "name": "app", "image": "nginx:1", "ports": [["containerPort": 80], ["containerPort": 443]],
                    "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]],
                    "volumeMounts": [["name": "data", "mountPath": "/data"]],
                ],
                ["name": "side", "image": "busybox"],
            ],
            "volumes": [["name": "data", "emptyDir": [:]]],
        ],
        "status": ["conditions": [["type": "Ready", "status": "False"], ["type": "Initialized", "status": "True"]]],
    ]

    @Test func strategicMergeMergesListsByTheirKeys() {
        let patch: JSONValue = [
            "metadata": ["labels": ["b": nil, "c": "3"], "finalizers": ["y"]],
            "spec": [
                "containers": [
                    [
                        "name": "app", "image": "nginx:2", "ports": [["containerPort": 8080]],
                        "env": [["name": "B", "value": "20"], ["name": "A", "$patch": "delete"]],
                        "volumeMounts": [["name": "cache", "mountPath": "/cache"]],
                    ]
                ]
            ],
            "status": ["conditions": [["type": "Ready", "status": "True"]]],
        ]
        let result = StrategicMergePatch.apply(patch, to: pod)
        #expect(result["metadata"]?["labels"] == ["a": "1", "c": "3"])
        #expect(result["metadata"]?["finalizers"] == ["x", "y"])
        let containers = result["spec"]?["containers"]?.arrayValue ?? []
        #expect(containers.count == 2)
        #expect(containers.first?["image"] == "nginx:2")
        #expect(containers.first?["ports"]?.arrayValue?.count == 3)
        #expect(containers.first?["env"] == [["name": "B", "value": "20"]])
        #expect(containers.first?["volumeMounts"]?.arrayValue?.count == 2)
        #expect(containers.last?["name"] == "side")
        #expect(result["status"]?["conditions"] == [["type": "Ready", "status": "True"], ["type": "Initialized", "status": "True"]])
    }

    @Test func strategicMergeReplaceDirectiveAndUnkeyedLists() {
        let patch: JSONValue = [
            "spec": ["containers": [["name": "only", "image": "x"], ["$patch": "replace"]], "tolerations": [["key": "k"]]]
        ]
        let result = StrategicMergePatch.apply(patch, to: pod)
        #expect(result["spec"]?["containers"] == [["name": "only", "image": "x"]])
        #expect(result["spec"]?["tolerations"] == [["key": "k"]])
    }

    @Test func mergePatchReplacesListsAndDeletesNulls() {
        let result = MergePatch.apply(["metadata": ["labels": ["a": nil]], "spec": ["volumes": []]], to: pod)
        #expect(result["metadata"]?["labels"] == ["b": "2"])
        #expect(result["spec"]?["volumes"] == [])
        #expect(result["spec"]?["containers"]?.arrayValue?.count == 2)
    }

    @Test func jsonPatchOperations() throws {
        let patch: JSONValue = [
            ["op": "test", "path": "/spec/containers/0/name", "value": "app"],
            ["op": "replace", "path": "/spec/containers/0/image", "value": "nginx:3"],
            ["op": "add", "path": "/metadata/labels/c~1d", "value": "4"],
            ["op": "remove", "path": "/metadata/labels/a"],
            ["op": "add", "path": "/spec/containers/-", "value": ["name": "third"]],
            ["op": "copy", "from": "/metadata/labels/b", "path": "/metadata/annotations"],
            ["op": "move", "from": "/metadata/finalizers", "path": "/metadata/movedFinalizers"],
        ]
        let result = try JSONPatch.apply(patch, to: pod)
        #expect(result["spec"]?["containers"]?.arrayValue?.first?["image"] == "nginx:3")
        #expect(result["spec"]?["containers"]?.arrayValue?.last?["name"] == "third")
        #expect(result["metadata"]?["labels"] == ["b": "2", "c/d": "4"])
        #expect(result["metadata"]?["annotations"] == "2")
        #expect(result["metadata"]?["finalizers"] == nil)
        #expect(result["metadata"]?["movedFinalizers"] == ["x"])
    }

    @Test func jsonPatchFailuresAreStatusErrors() {
        let failedTest = #expect(throws: StatusError.self) {
            try JSONPatch.apply([["op": "test", "path": "/metadata/name", "value": "other"]], to: pod)
        }
        #expect(failedTest?.code == 422)
        let missing = #expect(throws: StatusError.self) {
            try JSONPatch.apply([["op": "remove", "path": "/spec/nothing"]], to: pod)
        }
        #expect(missing?.code == 422)
        let malformed = #expect(throws: StatusError.self) { try JSONPatch.apply(["op": "add"], to: pod) }
        #expect(malformed?.code == 400)
    }

    /// What kube-apiserver answers when a JSON patch does not apply: the Status of
    /// errors.NewGenericServerResponse(422, …), the same whatever the reason.
    @Test func jsonPatchThatDoesNotApplyIsTheGenericInvalidStatus() {
        let expected: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": "the server rejected our request due to an error in our request", "reason": "Invalid", "details": [:], "code": 422,
        ]
        let failing: [JSONValue] = [
            [["op": "test", "path": "/metadata/name", "value": "other"]],
            [["op": "test", "path": "/spec/nothing/here", "value": "x"]],
            [["op": "replace", "path": "/spec/nothing", "value": 1]],
            [["op": "add", "path": "/spec/containers/5/image", "value": "x"]],
            [["op": "frobnicate", "path": "/spec"]],
            [["op": "add", "path": "spec", "value": 1]],
        ]
        for patch in failing {
            let error = #expect(throws: StatusError.self) { try JSONPatch.apply(patch, to: pod) }
            #expect(error?.status == expected, "\(patch)")
        }
        let notOperations = #expect(throws: StatusError.self) { try JSONPatch.apply(["add"], to: pod) }
        #expect(notOperations?.code == 400)
    }

    @Test func jsonPatchAddCreatesAMissingMemberOfAnExistingObject() throws {
        let route: JSONValue = [
            "spec": ["rules": [["backendRefs": [["name": "web-stable", "port": 80, "weight": 100], ["name": "web-canary", "port": 80]]]]]
        ]
        let patch: JSONValue = [
            ["op": "add", "path": "/spec/rules/0/backendRefs/1/weight", "value": 25],
            ["op": "add", "path": "/spec/rules/0/backendRefs/0/weight", "value": 75],
        ]
        let result = try JSONPatch.apply(patch, to: route)
        let refs = result["spec"]?["rules"]?.arrayValue?.first?["backendRefs"]?.arrayValue ?? []
        #expect(refs.map { $0["weight"] } == [75, 25])
        #expect(refs.last == ["name": "web-canary", "port": 80, "weight": 25])
    }

    @Test func jsonPatchTestComparesAsTheAPIServerDoes() throws {
        // Numbers by value; a missing member matches null; a member that is there does not.
        let object: JSONValue = ["spec": ["replicas": 3, "ratio": 0.5]]
        _ = try JSONPatch.apply([["op": "test", "path": "/spec/replicas", "value": 3.0]], to: object)
        _ = try JSONPatch.apply([["op": "test", "path": "/spec", "value": ["ratio": 0.5, "replicas": 3]]], to: object)
        _ = try JSONPatch.apply([["op": "test", "path": "/spec/absent", "value": nil]], to: object)
        #expect(throws: StatusError.self) { try JSONPatch.apply([["op": "test", "path": "/spec/replicas", "value": nil]], to: object) }
        #expect(throws: StatusError.self) { try JSONPatch.apply([["op": "test", "path": "/spec/replicas", "value": "3"]], to: object) }
    }
}
