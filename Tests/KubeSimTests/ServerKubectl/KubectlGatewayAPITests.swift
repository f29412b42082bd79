import Foundation
import KubeSim
import TestSupport
import Testing

/// The upstream Gateway API HTTPRoute CRD applied to kubesim with the real kubectl, and HTTPRoutes
/// handled as a canary release handles them: weights read back and set by JSON patch behind a
/// `test` of the resourceVersion.
@Suite(.enabled(if: Kubectl.isAvailable, "kubectl is not on PATH"))
struct KubectlGatewayAPITests {
    func withHTTPRoutes(_ body: (Kubectl) async throws -> Void) async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let kubectl = fixture.kubectl
            let installed = try await kubectl.succeed(["apply", "-f", GatewayAPIFixture.httpRouteCRDPath])
            #expect(installed.contains("customresourcedefinition.apiextensions.k8s.io/httproutes.gateway.networking.k8s.io created"))
            try await body(kubectl)
        }
    }

    func weights(_ kubectl: Kubectl, _ route: String = "web") async throws -> String {
        try await kubectl.succeed(["get", "httproute", route, "-o", "jsonpath={.spec.rules[0].backendRefs[*].weight}"])
    }

    @Test func httpRoutesAreNotFoundUntilTheCRDIsApplied() async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let kubectl = fixture.kubectl
            let path = "/apis/gateway.networking.k8s.io/v1/namespaces/x/httproutes"
            let before = try await kubectl.run(["get", "--raw", path])
            #expect(!before.succeeded)
            #expect(before.stderr.contains("Error from server (NotFound): the server could not find the requested resource"))
            let byName = try await kubectl.run(["get", "httproutes"])
            #expect(byName.stderr.contains(#"the server doesn't have a resource type "httproutes""#))

            try await kubectl.succeed(["apply", "-f", GatewayAPIFixture.httpRouteCRDPath])
            let after = try await kubectl.succeed(["get", "--raw", path])
            #expect(after.contains(#""kind":"HTTPRouteList""#))
        }
    }

    @Test func theUpstreamCRDServesRoutesWithTheirWeights() async throws {
        try await withHTTPRoutes { kubectl in
            let created = try await kubectl.succeed(["apply", "-f", "-"], stdin: GatewayAPIFixture.route())
            #expect(created.contains("httproute.gateway.networking.k8s.io/web created"))
            #expect(try await weights(kubectl) == "90 10")

            let table = try await kubectl.succeed(["get", "httproute"])
            let rows = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(rows.first == ["NAME", "HOSTNAMES", "AGE"])
            #expect(rows.dropFirst().first?.prefix(2) == ["web", #"["web.example.com"]"#])
            let qualified = try await kubectl.succeed(["get", "httproutes.gateway.networking.k8s.io", "-o", "name"])
            #expect(qualified == "httproute.gateway.networking.k8s.io/web\n")
            // The schema's defaults are applied, as the API server applies them.
            let defaulted = try await kubectl.succeed(
                ["get", "httproute", "web", "-o", "jsonpath={.spec.parentRefs[0].group}/{.spec.parentRefs[0].kind}/{.spec.rules[0].backendRefs[0].kind}"])
            #expect(defaulted == "gateway.networking.k8s.io/Gateway/Service")
            // v1beta1 is served too, from the same stored object.
            let beta = try await kubectl.succeed(["get", "httproutes.v1beta1.gateway.networking.k8s.io", "web", "-o", "jsonpath={.apiVersion}"])
            #expect(beta == "gateway.networking.k8s.io/v1beta1")

            // Applying both again (as an install script re-run does) changes nothing. kubectl may
            // still send a patch: its lists lack the server's defaults, so they differ.
            let version = try await kubectl.succeed(["get", "httproute", "web", "-o", "jsonpath={.metadata.resourceVersion}"])
            try await kubectl.succeed(["apply", "-f", GatewayAPIFixture.httpRouteCRDPath])
            try await kubectl.succeed(["apply", "-f", "-"], stdin: GatewayAPIFixture.route())
            let unchanged = try await kubectl.succeed(["get", "httproute", "web", "-o", "jsonpath={.metadata.resourceVersion}"])
            #expect(unchanged == version)
            #expect(try await weights(kubectl) == "90 10")
        }
    }

    @Test func aWeightLeftOutIsTheSchemaDefault() async throws {
        try await withHTTPRoutes { kubectl in
            try await kubectl.succeed(["apply", "-f", "-"], stdin: GatewayAPIFixture.route(stableWeight: nil, canaryWeight: nil))
            #expect(try await weights(kubectl) == "1 1")
        }
    }

    @Test func jsonPatchBehindAPassingTestSetsTheWeights() async throws {
        try await withHTTPRoutes { kubectl in
            try await kubectl.succeed(["apply", "-f", "-"], stdin: GatewayAPIFixture.route())
            let version = try await kubectl.succeed(["get", "httproute", "web", "-o", "jsonpath={.metadata.resourceVersion}"])
            let patch = """
                [{"op":"test","path":"/metadata/resourceVersion","value":"\(version)"},
                 {"op":"add","path":"/spec/rules/0/backendRefs/0/weight","value":75},
                 {"op":"add","path":"/spec/rules/0/backendRefs/1/weight","value":25}]
                """
            let patched = try await kubectl.succeed(["patch", "httproute", "web", "--type", "json", "-p", patch])
            #expect(patched.contains("httproute.gateway.networking.k8s.io/web patched"))
            #expect(try await weights(kubectl) == "75 25")
        }
    }

    @Test func jsonPatchBehindAFailingTestIsRefusedAndChangesNothing() async throws {
        try await withHTTPRoutes { kubectl in
            try await kubectl.succeed(["apply", "-f", "-"], stdin: GatewayAPIFixture.route())
            let readAt = try await kubectl.succeed(["get", "httproute", "web", "-o", "jsonpath={.metadata.resourceVersion}"])
            // Someone else edits the route after it was read.
            try await kubectl.succeed(["label", "httproute", "web", "team=edge"])
            let current = try await kubectl.succeed(["get", "httproute", "web", "-o", "jsonpath={.metadata.resourceVersion}"])
            #expect(current != readAt)

            let patch = """
                [{"op":"test","path":"/metadata/resourceVersion","value":"\(readAt)"},
                 {"op":"add","path":"/spec/rules/0/backendRefs/1/weight","value":25}]
                """
            let refused = try await kubectl.run(["patch", "httproute", "web", "--type", "json", "-p", patch])
            #expect(!refused.succeeded)
            #expect(refused.stderr.contains("The request is invalid: the server rejected our request due to an error in our request"))
            #expect(try await weights(kubectl) == "90 10")
            let after = try await kubectl.succeed(["get", "httproute", "web", "-o", "jsonpath={.metadata.resourceVersion}"])
            #expect(after == current)
        }
    }

    @Test func routesAreSelectedByNameAndNamespace() async throws {
        try await withHTTPRoutes { kubectl in
            try await kubectl.succeed(["create", "namespace", "team-a"])
            for (name, namespace) in [("web", "team-a"), ("api", "team-a"), ("web", "default")] {
                try await kubectl.succeed(["apply", "-f", "-"], stdin: GatewayAPIFixture.route(name, namespace: namespace))
            }
            let byName = try await kubectl.succeed(
                ["get", "httproutes", "-n", "team-a", "--field-selector", "metadata.name=web", "-o", "jsonpath={.items[*].metadata.namespace}"])
            #expect(byName == "team-a")
            let byNamespace = try await kubectl.succeed(
                ["get", "httproutes", "-A", "--field-selector", "metadata.namespace=team-a", "-o", "jsonpath={.items[*].metadata.name}"])
            #expect(byNamespace == "api web")
            // Custom resources are selectable by name and namespace only (the CRD declares no
            // selectableFields), as on a real API server.
            let unsupported = try await kubectl.run(["get", "httproutes", "--field-selector", "spec.hostnames=web.example.com"])
            #expect(!unsupported.succeeded)
            #expect(unsupported.stderr.contains("field label not supported: spec.hostnames"))
        }
    }
}
