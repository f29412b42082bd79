import Foundation
import KubeClient
import KubeModels
import TestSupport
import Testing

@testable import AppReleasePlugin

/// `get --watch` against an in-memory API server: every change the watches deliver that alters
/// the view draws it again; each drawing is read as it is written (no sleeps).
@Suite("get --watch: redrawn from watches", .timeLimit(.minutes(1)))
struct GetLiveViewTests {
    struct Harness {
        let api = FakeKubernetesAPI()
        let output: AsyncStream<String>
        let sink: AsyncStream<String>.Continuation

        init() { (output, sink) = AsyncStream.makeStream() }

        func start(terminal: Bool) -> Task<Void, any Error> {
            let sink = sink
            let console = Console(out: { sink.yield($0) }, err: { _ in }, isTerminal: terminal)
            let view = LiveReleaseView(
                context: PluginContext(api: api, namespace: "shop"), name: "web", display: ViewDisplay(console: console), settle: .zero,
                now: { GetViewTests.now }, retryDelays: [.milliseconds(1)])
            return Task { try await view.run() }
        }

        /// The canary's objects, created as the controller and the kubelet would have. The fake
        /// gives every object a uid of its own, so owner references are pointed at those.
        func seed() async throws {
            let objects = GetFixtures.canaryObjects
            let owner = try await api.create(.appReleases, namespace: "shop", object: objects.appRelease).meta.uid
            var replicaSetUIDs: [String: String] = [:]
            for replicaSet in objects.replicaSets {
                var replicaSet = replicaSet
                if replicaSet.meta.controllerReference?.uid == "uid-web" {
                    replicaSet["metadata"]?["ownerReferences"] = [["apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease", "name": "web", "uid": .string(owner), "controller": true]]
                }
                replicaSetUIDs[replicaSet.meta.uid] = try await api.create(.replicaSets, namespace: "shop", object: replicaSet).meta.uid
            }
            for pod in objects.pods {
                var pod = pod
                pod["metadata"]?["ownerReferences"]?.replaceFirstUID(with: replicaSetUIDs)
                try await api.create(.pods, namespace: "shop", object: pod)
            }
            for event in objects.events {
                var event = event
                if event[path: "involvedObject", "uid"] == "uid-web" { event["involvedObject"]?["uid"] = .string(owner) }
                try await api.create(.events, namespace: "shop", object: event)
            }
        }

        func write(_ object: JSONValue) async throws {
            // A new version as the controller writes it (the fake keeps the stored uid).
            var object = object
            object["metadata"]?["resourceVersion"] = nil
            try await api.update(.appReleases, namespace: "shop", object: object)
        }
    }

    @Test func eachChangeAppendsAWholeViewWhenNotOnATerminal() async throws {
        let harness = Harness()
        try await harness.seed()
        let running = harness.start(terminal: false)
        var views = harness.output.makeAsyncIterator()

        let first = await views.next() ?? ""
        #expect(first.hasPrefix("Name:"))
        #expect(first.contains("Strategy:   Canary: step 2/5, weight 25%"))
        #expect(first.contains("web-5d6d7bdfdf-x7k2p  CrashLoopBackOff"))

        // A pod changes: the view is drawn again, appended after a blank line.
        let name = "web-\(GetFixtures.new)-x7k2p"
        var pod = try await harness.api.get(.pods, namespace: "shop", name: name)
        pod["status"] = GetFixtures.parse(GetFixtures.running)
        try await harness.api.update(.pods, namespace: "shop", object: pod)
        let second = await views.next() ?? ""
        #expect(second.hasPrefix("\nName:"))
        #expect(second.contains("web-5d6d7bdfdf-x7k2p  Running"))

        // The release completes.
        try await harness.write(StatusFixtures.ready)
        let third = await views.next() ?? ""
        #expect(third.contains("Phase:      Healthy"))

        // Changes arrive through the watches: each collection was listed once, never polled.
        let lists = harness.api.requestLog().filter { $0.verb == "LIST" }.map(\.resource)
        #expect(lists.sorted() == ["appreleases", "events", "pods", "replicasets"])
        let watches = harness.api.requestLog().filter { $0.verb == "WATCH" }
        #expect(watches.first { $0.resource == "appreleases" }?.fieldSelector == "metadata.name=web")
        #expect(watches.first { $0.resource == "events" }?.fieldSelector == "involvedObject.kind=AppRelease,involvedObject.name=web")

        try await harness.api.delete(.appReleases, namespace: "shop", name: "web")
        #expect(await views.next() == "\nappreleases.apprelease.dev \"web\" deleted\n")
        try await running.value
    }

    @Test func onATerminalEachViewReplacesTheLast() async throws {
        let harness = Harness()
        try await harness.seed()
        let running = harness.start(terminal: true)
        var views = harness.output.makeAsyncIterator()
        #expect(await views.next()?.hasPrefix(ViewDisplay.clearScreen + "Name:") == true)
        try await harness.write(StatusFixtures.ready)
        #expect(await views.next()?.hasPrefix(ViewDisplay.clearScreen + "Name:") == true)
        running.cancel()
        _ = try? await running.value
    }

    @Test func aMissingAppReleaseIsNotFound() async throws {
        let harness = Harness()
        await #expect(throws: PluginError.self) { try await harness.start(terminal: false).value }
    }
}

extension JSONValue {
    /// In a list of owner references, points the first at the uid `uids` maps its uid to.
    fileprivate mutating func replaceFirstUID(with uids: [String: String]) {
        guard var references = arrayValue, var first = references.first,
            let uid = first["uid"]?.stringValue, let replacement = uids[uid]
        else { return }
        first["uid"] = .string(replacement)
        references[0] = first
        self = .array(references)
    }
}
