import Foundation
import KubeSim
import TestSupport
import Testing

/// Imperative kubectl commands send protobuf bodies; kubesim must store what they mean, as a real
/// API server does.
@Suite(.enabled(if: Kubectl.isAvailable, "kubectl is not on PATH"))
struct KubectlCreateTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    @Test func imperativeCreatesAreStored() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let kubectl = fixture.kubectl
            #expect(try await kubectl.succeed(["create", "namespace", "x"]).contains("namespace/x created"))
            #expect(try await kubectl.succeed(["get", "namespace", "x", "-o", "name"]).contains("namespace/x"))

            try await kubectl.succeed(["create", "configmap", "c", "--from-literal=a=b"])
            #expect(try await kubectl.succeed(["get", "configmap", "c", "-o", "jsonpath={.data.a}"]) == "b")

            try await kubectl.succeed(["create", "deployment", "d", "--image=registry.example/d@\(Self.digest)"])
            let deployment = try await kubectl.succeed([
                "get", "deployment", "d", "-o",
                "jsonpath={.spec.template.spec.containers[0].image} {.spec.selector.matchLabels.app} {.spec.replicas}",
            ])
            #expect(deployment == "registry.example/d@\(Self.digest) d 1")

            try await kubectl.succeed(["run", "p", "--image=registry.example/p@\(Self.digest)"])
            let pod = try await kubectl.succeed(["get", "pod", "p", "-o", "jsonpath={.spec.containers[0].image} {.metadata.labels.run}"])
            #expect(pod == "registry.example/p@\(Self.digest) p")

            try await kubectl.succeed(["create", "secret", "generic", "s", "--from-literal=k=v"])
            #expect(try await kubectl.succeed(["get", "secret", "s", "-o", "jsonpath={.data.k}"]) == "dg==")

            try await kubectl.succeed(["create", "service", "clusterip", "svc", "--tcp=80:8080"])
            #expect(try await kubectl.succeed(["get", "service", "svc", "-o", "jsonpath={.spec.ports[0].targetPort}"]) == "8080")

            try await kubectl.succeed(["create", "serviceaccount", "sa"])
            #expect(try await kubectl.succeed(["get", "serviceaccount", "sa", "-o", "name"]).contains("serviceaccount/sa"))
        }
    }
}
