import Foundation
import Testing

@Suite("AppRelease end to end: lifecycle and validation", .serialized, .timeLimit(.minutes(15)))
struct LifecycleTests {
    @Test("deleting the AppRelease removes its ReplicaSets and pods")
    func deletionCascades() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            #expect(try await cluster.replicaSets().count == 1)
            try await cluster.kubectlOK("delete", "appreleases", "web", "--wait=false")
            try await waitUntil("ReplicaSets and pods of web to be garbage-collected") {
                let sets = try await cluster.kubectlOK("get", "replicasets", "-l", "app=web", "-o", "name")
                let pods = try await cluster.kubectlOK("get", "pods", "-l", "app=web", "-o", "name")
                return sets.isEmpty && pods.isEmpty
            }
        }
    }

    @Test("another writer scaling through the scale subresource mid-release does not stall it")
    func scaledMidRelease() async throws {
        try await Cluster.with { cluster in
            try await cluster.apply(AppReleaseManifest(image: Images.v1))
            #expect(try await cluster.wait(for: "Ready").succeeded)
            try await cluster.release(image: Images.v2)
            // What an HPA (or `kubectl scale`) does: write spec.replicas through /scale.
            try await cluster.kubectlOK("scale", "appreleases/web", "--replicas=5")
            let ready = try await cluster.wait(for: "Ready")
            #expect(ready.succeeded, "\(ready)")
            #expect(try await cluster.field("appreleases/web", ".status.stableImage") == Images.v2)
            try await waitUntil("the new revision at 5 ready pods and the old one at 0") {
                let sets = try await cluster.replicaSets()
                return sets.contains { $0.replicas == 5 && $0.ready == 5 } && sets.filter { $0.replicas > 0 }.count == 1
            }
        }
    }

    @Test("a tag instead of a digest is refused by the schema or reported as InvalidSpec, and nothing runs")
    func invalidImageRefused() async throws {
        try await Cluster.with { cluster in
            var manifest = AppReleaseManifest()
            manifest.image = "registry.example/web:latest"
            let applied = try await cluster.kubectl("apply", "-f", "-", input: manifest.yaml)
            if applied.succeeded {
                try await waitUntil("InvalidSpec to be reported") {
                    try await cluster.condition("InvalidSpec") == "True"
                }
                #expect(try await cluster.field("appreleases/web", ".status.phase") == "InvalidSpec")
                let message = try await cluster.field("appreleases/web", #".status.conditions[?(@.type=="InvalidSpec")].message"#)
                #expect(message.contains("spec.image"), "\(message)")
            } else {
                #expect(applied.output.contains("spec.image"), "\(applied)")
            }
            #expect(try await cluster.replicaSets().isEmpty)
        }
    }

    @Test("a spec the schema lets through but the engine cannot act on is reported as InvalidSpec")
    func containerMissingIsInvalidSpec() async throws {
        try await Cluster.with { cluster in
            var manifest = AppReleaseManifest()
            manifest.name = "api"
            let yaml = manifest.yaml.replacingOccurrences(of: "  replicas: 3\n", with: "  replicas: 3\n  container: sidecar\n")
            let applied = try await cluster.kubectl("apply", "-f", "-", input: yaml)
            if applied.succeeded {
                try await waitUntil("InvalidSpec to be reported") {
                    try await cluster.condition("InvalidSpec", of: "api") == "True"
                }
                let message = try await cluster.field("appreleases/api", #".status.conditions[?(@.type=="InvalidSpec")].message"#)
                #expect(message.contains("spec.container"), "\(message)")
            } else {
                #expect(applied.output.contains("container"), "\(applied)")
            }
            #expect(try await cluster.replicaSets(of: "api").isEmpty)
        }
    }
}
