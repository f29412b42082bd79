import Foundation
import KubeSim
import TestSupport
import Testing

/// kubesim driven by the real kubectl binary, as users and the demo drive it.
@Suite(.enabled(if: Kubectl.isAvailable, "kubectl is not on PATH"))
struct KubectlCustomResourceTests {
    func withWidgets(_ body: (Kubectl) async throws -> Void) async throws {
        try await withKubeSim({ $0.simulateCluster = false }) { fixture in
            let kubectl = fixture.kubectl
            try await kubectl.succeed(["apply", "-f", "-"], stdin: WidgetManifests.crd)
            try await body(kubectl)
        }
    }

    @Test func applyDefaultsAndPrinterColumns() async throws {
        try await withWidgets { kubectl in
            let created = try await kubectl.succeed(["apply", "-f", "-"], stdin: WidgetManifests.widget("w1"))
            #expect(created.contains("widget.example.com/w1 created"))
            let strategy = try await kubectl.succeed(["get", "widget", "w1", "-o", "jsonpath={.spec.strategy}/{.spec.replicas}"])
            #expect(strategy == "Canary/1")
            try await kubectl.succeed(
                ["patch", "widget", "w1", "--subresource=status", "--type=merge", "-p",
                 #"{"status":{"phase":"Running","replicas":1,"conditions":[{"type":"Ready","status":"True"}]}}"#])
            let table = try await kubectl.succeed(["get", "widgets"])
            let lines = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(lines.first == ["NAME", "REPLICAS", "PHASE", "READY", "AGE"])
            #expect(lines.dropFirst().first?.prefix(4) == ["w1", "1", "Running", "True"])
        }
    }

    @Test func statusPatchKeepsGenerationAndScaleBumpsIt() async throws {
        try await withWidgets { kubectl in
            try await kubectl.succeed(["apply", "-f", "-"], stdin: WidgetManifests.widget("w1"))
            try await kubectl.succeed(["patch", "widget", "w1", "--subresource=status", "--type=merge", "-p", #"{"status":{"phase":"Running"}}"#])
            let afterStatus = try await kubectl.succeed(["get", "widget", "w1", "-o", "jsonpath={.metadata.generation}/{.status.phase}"])
            #expect(afterStatus == "1/Running")
            let scaled = try await kubectl.succeed(["scale", "widget", "w1", "--replicas=3"])
            #expect(scaled.contains("scaled"))
            let afterScale = try await kubectl.succeed(["get", "widget", "w1", "-o", "jsonpath={.metadata.generation}/{.spec.replicas}"])
            #expect(afterScale == "2/3")
        }
    }

    @Test func invalidObjectsAreRefusedWithTheSchemaRule() async throws {
        try await withWidgets { kubectl in
            let invalid = try await kubectl.run(
                ["apply", "-f", "-"], stdin: WidgetManifests.widget("bad", image: "Nginx", extraSpec: ", replicas: 20, strategy: Foo"))
            #expect(!invalid.succeeded)
            #expect(invalid.stderr.contains(#"spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10"#))
            #expect(invalid.stderr.contains(#"spec.strategy: Unsupported value: "Foo": supported values: "Canary", "BlueGreen""#))
            #expect(invalid.stderr.contains(#"spec.image in body should match '^[a-z]'"#))
            let unknown = try await kubectl.run(["apply", "-f", "-"], stdin: WidgetManifests.widget("bad", extraSpec: ", bogus: 1"))
            #expect(!unknown.succeeded)
            #expect(unknown.stderr.contains(#"unknown field "spec.bogus""#))
            let missing = try await kubectl.run(["get", "widget", "bad"])
            #expect(missing.stderr.contains("NotFound"))
        }
    }

    @Test func watchSeesChangesAndDeletion() async throws {
        try await withWidgets { kubectl in
            try await kubectl.succeed(["apply", "-f", "-"], stdin: WidgetManifests.widget("w1"))
            try await kubectl.streaming(["get", "widgets", "-w", "--output-watch-events"]) { watch in
                let added = try await watch.waitForLine { $0.hasPrefix("ADDED") && $0.contains("w1") }
                try await kubectl.succeed(["patch", "widget", "w1", "--type=merge", "-p", #"{"spec":{"replicas":5}}"#])
                let modified = try await watch.waitForLine(skipping: added.index + 1) { $0.hasPrefix("MODIFIED") }
                #expect(modified.line.split(separator: " ", omittingEmptySubsequences: true).prefix(3) == ["MODIFIED", "w1", "5"])
                try await kubectl.succeed(["delete", "widget", "w1"])
                try await watch.waitForLine(skipping: modified.index + 1) { $0.hasPrefix("DELETED") && $0.contains("w1") }
            }
        }
    }

    @Test func explainWaitAndDelete() async throws {
        try await withWidgets { kubectl in
            let explain = try await kubectl.succeed(["explain", "widget.spec"])
            #expect(explain.contains("What the widget should look like."))
            #expect(explain.contains("The image the widget runs."))
            try await kubectl.succeed(["apply", "-f", "-"], stdin: WidgetManifests.widget("w1"))
            try await kubectl.succeed(
                ["patch", "widget", "w1", "--subresource=status", "--type=merge", "-p",
                 #"{"status":{"conditions":[{"type":"Ready","status":"True"}]}}"#])
            let waited = try await kubectl.succeed(["wait", "--for=condition=Ready", "widget/w1", "--timeout=20s"])
            #expect(waited.contains("condition met"))
            try await kubectl.succeed(["delete", "widget", "w1", "--timeout=20s"])
            let gone = try await kubectl.run(["get", "widget", "w1"])
            #expect(gone.stderr.contains(#"widgets.example.com "w1" not found"#))
        }
    }
}
