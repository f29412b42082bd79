import KubeModels
import Testing

@testable import KubeSim

/// Protobuf bodies become the JSON a JSON client would have sent for the same object.
@Suite struct ProtobufConversionTests {
    typealias P = ProtoBytes

    func decode(_ body: [UInt8]) throws(ProtobufError) -> JSONValue { try ProtobufBody.decode(body) }

    @Test func kubectlBodiesMatchItsJSON() throws {
        #expect(try decode(KubectlProtobufBodies.namespace) == KubectlProtobufBodies.namespaceJSON)
        #expect(try decode(KubectlProtobufBodies.deployment) == KubectlProtobufBodies.deploymentJSON)
        #expect(try decode(KubectlProtobufBodies.service) == KubectlProtobufBodies.serviceJSON)
    }

    @Test func podWithContainersResourcesAndProbe() throws {
        let container = P.message(
            2, P.string(1, "app"), P.string(2, "registry.example/app:1"), P.string(3, "/bin/app"), P.string(4, "--port"),
            P.string(4, "8080"), P.message(6, P.string(1, "http"), P.int(3, 8080), P.string(4, "TCP")),
            P.message(7, P.string(1, "MODE"), P.string(2, "")),
            P.message(8, P.quantity(1, "cpu", "500m"), P.quantity(1, "memory", "128Mi"), P.quantity(2, "cpu", "100m")),
            P.message(11, P.message(1, P.message(2, P.string(1, "/healthz"), P.message(2, P.int(1, 1), P.string(3, "http")))), P.int(4, 5)),
            P.string(13, ""), P.string(14, "IfNotPresent"), P.bool(16, false), P.string(20, "File"))
        let spec = P.message(
            2, container, P.message(2), P.string(3, "Always"), P.int(4, 0), P.string(6, "ClusterFirst"),
            P.entry(7, "disk", "ssd"), P.string(8, "runner"), P.message(14))
        let metadata = P.message(
            1, P.string(1, "p"), P.string(3, "default"), P.int(7, 0), P.message(8), P.entry(11, "run", "p"),
            P.message(8, P.int(1, 1_700_000_000)))
        let body = P.envelope("v1", "Pod", metadata + spec + P.message(3, P.string(1, "")))
        let expected: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": "p", "namespace": "default", "labels": ["run": "p"], "creationTimestamp": "2023-11-14T22:13:20Z"],
            "spec": [
                "containers": [
                    [
                        "name": "app", "image": "registry.example/app:1", "command": ["/bin/app"], "args": ["--port", "8080"],
                        "ports": [["name": "http", "containerPort": 8080, "protocol": "TCP"]], "env": [["name": "MODE"]],
                        "resources": ["limits": ["cpu": "500m", "memory": "128Mi"], "requests": ["cpu": "100m"]],
                        "readinessProbe": ["httpGet": ["path": "/healthz", "port": "http"], "periodSeconds": 5],
                        "imagePullPolicy": "IfNotPresent", "terminationMessagePolicy": "File",
                    ],
                    ["name": "", "resources": [:]],
                ],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 0, "dnsPolicy": "ClusterFirst",
                "nodeSelector": ["disk": "ssd"], "serviceAccountName": "runner", "securityContext": [:],
            ],
            "status": [:],
        ]
        #expect(try decode(body) == expected)
    }

    @Test func bytesAreBase64AndPointersKeepZero() throws {
        let secret = P.envelope(
            "v1", "Secret",
            P.message(1, P.string(1, "s")) + P.message(2, P.string(1, "k"), P.bytes(2, [0x76, 0x00, 0xFF])) + P.string(3, "Opaque")
                + P.bool(5, false))
        #expect(try decode(secret) == ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "data": ["k": "dgD/"], "type": "Opaque", "immutable": false])
        // ObjectMeta is a struct, not a pointer, in Go: its JSON always has "metadata", as kubesim's does.
        let configMap = P.envelope("v1", "ConfigMap", P.entry(2, "a", "b") + P.message(3, P.string(1, "bin"), P.bytes(2, [1, 2])))
        #expect(try decode(configMap) == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": [:], "data": ["a": "b"], "binaryData": ["bin": "AQI="]])
        let rollingUpdate = P.message(2, P.message(1, P.int(1, 1), P.string(3, "25%")), P.message(2, P.int(2, 0)))
        let deployment = P.envelope("apps/v1", "Deployment", P.message(2, P.int(1, 0), P.message(4, P.string(1, "RollingUpdate"), rollingUpdate)))
        let spec = try decode(deployment)["spec"]
        #expect(spec?["replicas"] == 0)
        #expect(spec?["strategy"] == ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": 0]])
    }

    @Test func repeatedScalarsPackedOrNotAndMessagesMerge() throws {
        let packed = P.bytes(4, P.varint(1000) + P.varint(2000))
        let spec = P.message(2, P.message(14, packed, P.int(4, 3000)))
        let pod = try decode(P.envelope("v1", "Pod", P.message(1, P.string(1, "a")) + P.message(1, P.entry(11, "k", "v")) + spec))
        #expect(pod["spec"]?["securityContext"] == ["supplementalGroups": [1000, 2000, 3000]])
        #expect(pod["metadata"] == ["name": "a", "labels": ["k": "v"]])
    }

    @Test func unknownFieldsAndKindsAreUnsupportedMediaType() {
        let unknownField = protobufFailure { () throws(ProtobufError) in
            _ = try decode(P.envelope("v1", "Pod", P.message(2, P.int(42, 1))))
        }
        #expect(unknownField?.kind == .unsupported)
        #expect(unknownField?.statusError.code == 415)
        #expect(unknownField?.statusError.message == "protobuf field 42 of k8s.io/api/core/v1.PodSpec is not understood by kubesim; send JSON")
        let unknownKind = protobufFailure { () throws(ProtobufError) in _ = try decode(P.envelope("batch/v1", "Job", [])) }
        #expect(unknownKind?.statusError.code == 415)
        #expect(unknownKind?.message == "kubesim cannot decode protobuf for kind Job (batch/v1); send JSON")
        let gzip = protobufFailure { () throws(ProtobufError) in _ = try decode(P.envelope("v1", "Pod", []) + P.string(3, "gzip")) }
        #expect(gzip?.statusError.code == 415)
    }

    @Test func brokenWireDataIsBadRequest() {
        let truncated = Array(KubectlProtobufBodies.deployment.dropLast(40))
        #expect(protobufFailure { () throws(ProtobufError) in _ = try decode(truncated) }?.statusError.code == 400)
        let wrongWireType = protobufFailure { () throws(ProtobufError) in _ = try decode(P.envelope("v1", "ConfigMap", P.int(2, 1))) }
        #expect(wrongWireType?.description == "field 2 (data) of k8s.io/api/core/v1.ConfigMap has wire type varint, expected length-delimited (reading k8s.io/api/core/v1.ConfigMap)")
        let badMagic = protobufFailure { () throws(ProtobufError) in _ = try decode(Array(#"{"kind":"Pod"}"#.utf8)) }
        #expect(badMagic?.statusError.code == 400)
        let invalidUTF8 = protobufFailure { () throws(ProtobufError) in _ = try decode(P.envelope("v1", "ConfigMap", P.message(1, P.bytes(1, [0xC3, 0x28])))) }
        #expect(invalidUTF8?.description == "field 1 (name) of k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta is not valid UTF-8 (reading k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta)")
        let farFuture = protobufFailure { () throws(ProtobufError) in _ = try decode(P.envelope("v1", "ConfigMap", P.message(1, P.message(8, P.int(1, Int64.max))))) }
        #expect(farFuture?.statusError.code == 400)
        let noKind = protobufFailure { () throws(ProtobufError) in _ = try decode(P.envelope("", "", [])) }
        #expect(noKind?.statusError.code == 400)
    }

    @Test func requestsDispatchOnContentType() throws {
        func request(_ contentType: String, _ body: [UInt8]) -> APIRequest {
            APIRequest(method: .post, path: "/api/v1/namespaces", query: [:], accept: "application/json", contentType: contentType, body: body)
        }
        #expect(try request("application/vnd.kubernetes.protobuf", KubectlProtobufBodies.namespace).jsonBody() == KubectlProtobufBodies.namespaceJSON)
        #expect(try request("application/json", Array(#"{"kind":"Namespace"}"#.utf8)).jsonBody() == ["kind": "Namespace"])
        #expect(throws: StatusError.unsupportedMediaType("kubesim cannot decode protobuf for kind Job (batch/v1); send JSON")) {
            try request("application/vnd.kubernetes.protobuf", P.envelope("batch/v1", "Job", [])).jsonBody()
        }
        #expect(throws: StatusError.self) { try request("application/vnd.kubernetes.protobuf", [0x6B, 0x38]).jsonBody() }
    }
}
