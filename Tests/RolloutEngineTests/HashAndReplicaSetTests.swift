import AppReleaseAPI
import KubeModels
import RolloutEngine
import Testing

@Suite("Template hash and ReplicaSet body")
struct HashAndReplicaSetTests {
    @Test func fnvAndSafeEncodingMatchTheReference() {
        #expect(TemplateHash.fnv1a32([]) == 2_166_136_261)
        #expect(TemplateHash.fnv1a32(Array("a".utf8)) == 0xe40c_292c)
        #expect(TemplateHash.fnv1a32(Array("foobar".utf8)) == 0xbf9c_f968)
        // '0' is byte 48, 48 % 27 = 21 → "4"; '1' → 22 → "5".
        #expect(TemplateHash.safeEncode(0) == "4")
        #expect(TemplateHash.safeEncode(10) == "54")
    }

    @Test func revisionIgnoresKeyOrder() throws {
        let a = try JSONValue(
            parsing: #"{"metadata":{"labels":{"app":"web","tier":"fe"}},"spec":{"containers":[{"name":"web","args":["a","b"]}],"dnsPolicy":"ClusterFirst"}}"#)
        let b = try JSONValue(
            parsing: #"{"spec":{"dnsPolicy":"ClusterFirst","containers":[{"args":["a","b"],"name":"web"}]},"metadata":{"labels":{"tier":"fe","app":"web"}}}"#)
        #expect(TemplateHash.revision(of: a) == TemplateHash.revision(of: b))
        let reordered = try JSONValue(
            parsing: #"{"spec":{"dnsPolicy":"ClusterFirst","containers":[{"args":["b","a"],"name":"web"}]},"metadata":{"labels":{"tier":"fe","app":"web"}}}"#)
        #expect(TemplateHash.revision(of: a) != TemplateHash.revision(of: reordered), "list order is meaningful")
        let alphabet = Set("bcdfghjklmnpqrstvwxz2456789")
        #expect(TemplateHash.revision(of: a).allSatisfy { alphabet.contains($0) })
    }

    @Test func revisionChangesWithImageOnly() throws {
        guard case .success(let one) = RolloutEngine.validate(specJSON(image: image(1))),
            case .success(let two) = RolloutEngine.validate(specJSON(image: image(2))),
            case .success(let scaled) = RolloutEngine.validate(specJSON(image: image(1), replicas: 7, maxSurge: 3))
        else {
            Issue.record("specs should be valid")
            return
        }
        #expect(one.revision != two.revision)
        #expect(one.revision == scaled.revision, "replicas and strategy are not part of the revision")
        #expect(one.revision == one.revision)
    }

    @Test func replicaSetBodyCarriesOwnershipLabelsAndTheImage() throws {
        var raw = specJSON(image: image(4), extra: ["container": "web", "minReadySeconds": 5])
        raw["template"] = [
            "metadata": ["labels": ["app": "web"], "annotations": ["keep": "me"]],
            "spec": [
                "containers": [["name": "sidecar", "image": .string("envoy@sha256:" + String(repeating: "e", count: 64))], ["name": "web", "x-future": [1, 2]]],
                "terminationGracePeriodSeconds": 5,
            ],
        ]
        raw["container"] = "web"
        guard case .success(let spec) = RolloutEngine.validate(raw) else {
            Issue.record("valid spec expected")
            return
        }
        let owner = ObservedAppRelease(name: "web", namespace: "shop", uid: "u-1", generation: 1, spec: raw)
        let body = ReplicaSetBuilder.replicaSet(
            appRelease: owner, spec: spec, revision: spec.revision, revisionNumber: 4, replicas: 2, maxReplicas: 4)
        let revision = spec.revision
        #expect(body[path: "metadata", "name"] == .string("web-\(revision)"))
        #expect(body[path: "metadata", "labels", AppReleaseAPI.revisionLabel] == .string(revision))
        #expect(body[path: "metadata", "labels", "app"] == "web")
        #expect(body[path: "metadata", "annotations", AppReleaseAPI.revisionNumberAnnotation] == "4")
        #expect(body[path: "metadata", "annotations", AppReleaseAPI.imageAnnotation] == .string(image(4)))
        let ownerRef = body[path: "metadata", "ownerReferences"]?.arrayValue?.first
        #expect(ownerRef?["controller"] == true && ownerRef?["uid"] == "u-1" && ownerRef?["kind"] == "AppRelease")
        #expect(body[path: "spec", "selector", "matchLabels"] == ["app": "web", AppReleaseAPI.revisionLabel: .string(revision)])
        #expect(body[path: "spec", "template", "metadata", "labels", AppReleaseAPI.revisionLabel] == .string(revision))
        #expect(body[path: "spec", "template", "metadata", "annotations", "keep"] == "me")
        let containers = body[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
        #expect(containers.count == 2)
        #expect(containers[1]["image"] == .string(image(4)))
        #expect(containers[1]["x-future"] == [1, 2], "unknown fields pass through")
        #expect(containers[0]["image"] == .string("envoy@sha256:" + String(repeating: "e", count: 64)))
        #expect(body[path: "spec", "replicas"] == 2 && body[path: "spec", "minReadySeconds"] == 5)
        #expect(body[path: "spec", "template", "spec", "terminationGracePeriodSeconds"] == 5)
        // Read back the way the controller's cache would see it.
        let observed = try #require(ObservedReplicaSet(json: body))
        #expect(observed.revision == revision && observed.revisionNumber == 4 && observed.replicas == 2)
        #expect(observed.desiredReplicasAnnotation == 3 && observed.maxReplicasAnnotation == 4)
    }

    @Test func shortImage() {
        #expect(RolloutEngine.shortImage(image(10)) == "web@aaaaaaaaaaaa")
        #expect(RolloutEngine.shortImage("registry:5000/a/api@sha256:0123456789abcdef") == "api@0123456789ab")
    }
}
