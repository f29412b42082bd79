import KubeClient
import KubeModels
import TestSupport
import Testing

@testable import ControllerRuntime

@Suite("Event recorder")
struct EventRecorderTests {
    let subject: JSONValue = [
        "apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease",
        "metadata": ["name": "web", "namespace": "shop", "uid": "u-1", "resourceVersion": "7"],
    ]

    @Test("repeats are aggregated into one Event with a count; a different message is a new Event")
    func aggregation() async throws {
        let fake = FakeKubernetesAPI()
        let recorder = EventRecorder(api: fake, component: "apprelease-controller", host: "node-1")
        try await withBackground({ await recorder.run() }) {
            for _ in 0..<3 { recorder.record(object: subject, type: .normal, reason: "Scaled", message: "scaled web-abc to 3") }
            recorder.record(object: subject, type: .warning, reason: "Failed", message: "pods crash-looping")
            await waitUntil("sent") { recorder.pendingCount == 0 }
            let events = fake.objects(.events).values
            #expect(events.count == 2)
            let scaled = try #require(events.first { $0["reason"] == "Scaled" })
            #expect(scaled["count"] == 3)
            #expect(scaled["type"] == "Normal")
            #expect(scaled[path: "involvedObject", "uid"] == "u-1")
            #expect(scaled[path: "involvedObject", "kind"] == "AppRelease")
            #expect(scaled[path: "source", "component"] == "apprelease-controller")
            #expect(scaled[path: "metadata", "namespace"] == "shop")
            #expect(fake.requestCounts()["PATCH events"] == 2)
            #expect(fake.requestCounts()["POST events"] == 2)
        }
    }

    @Test("a flood about one object is rate limited")
    func spamFilter() async throws {
        let fake = FakeKubernetesAPI()
        var options = EventRecorder.Options()
        options.perObjectBurst = 5
        let recorder = EventRecorder(api: fake, component: "test", options: options)
        await withBackground({ await recorder.run() }) {
            for index in 0..<50 { recorder.record(object: subject, type: .normal, reason: "Tick", message: "tick \(index)") }
            await waitUntil("sent") { recorder.pendingCount == 0 }
            #expect(fake.objects(.events).count == 5)
        }
    }

    @Test("a message over 1 KiB (a container's termination log) is cut to 1 KiB")
    func longMessages() async throws {
        let fake = FakeKubernetesAPI()
        let recorder = EventRecorder(api: fake, component: "test")
        await withBackground({ await recorder.run() }) {
            recorder.record(object: subject, type: .warning, reason: "CrashLoop", message: "panic: " + String(repeating: "at frame\n", count: 500))
            await waitUntil("sent") { recorder.pendingCount == 0 }
            let message = fake.objects(.events).values.first?["message"]?.stringValue ?? ""
            #expect(message.utf8.count == EventRecorder.maximumMessageBytes)
            #expect(message.hasPrefix("panic: at frame"))
        }
    }
}
