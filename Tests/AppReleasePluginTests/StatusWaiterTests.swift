import AppReleaseAPI
import KubeClient
import KubeModels
import TestSupport
import Testing

@testable import AppReleasePlugin

/// `status --wait` against an in-memory API server: the versions the controller would write
/// arrive one by one, and the waiter's lines are read as they come (no sleeps: each step waits
/// for the line that proves the waiter saw the previous one).
@Suite("status --wait: following the AppRelease", .timeLimit(.minutes(1)))
struct StatusWaiterTests {
    struct Harness {
        let api = FakeKubernetesAPI()
        let reports: AsyncStream<StatusWaiter.Report>
        let sink: AsyncStream<StatusWaiter.Report>.Continuation
        var waiter: StatusWaiter

        init() {
            (reports, sink) = AsyncStream.makeStream()
            waiter = StatusWaiter(api: api, namespace: "shop", name: "web", retryDelays: [.milliseconds(1)])
        }

        func start(timeout: Duration? = nil) -> Task<StatusWaiter.Result, any Error> {
            let waiter = waiter
            let sink = sink
            return Task { try await waiter.wait(timeout: timeout, report: { sink.yield($0) }) }
        }

        func write(_ object: JSONValue) async throws {
            var object = object
            object["metadata"]?["resourceVersion"] = nil
            try await api.update(.appReleases, namespace: "shop", object: object)
        }
    }

    @Test func aStaleReadyIsWaitedOutAndTheCrashOfTheNewGenerationFails() async throws {
        let harness = Harness()
        try await harness.api.create(.appReleases, namespace: "shop", object: StatusFixtures.staleReady)
        let waiting = harness.start()
        var reports = harness.reports.makeAsyncIterator()
        #expect(await reports.next() == .line("web: waiting for the controller to observe generation 2 (the status is for generation 1)"))
        try await harness.write(StatusFixtures.canaryAtStep2)
        #expect(await reports.next() == .line("web: revision 5d6d7bdfdf 1/3 available (canary 25%, step 2/5, paused at a step)"))
        // A version that changes nothing in the line (another resourceVersion) prints nothing.
        var touched = StatusFixtures.canaryAtStep2
        touched["metadata"]?["annotations"] = ["touched": "yes"]
        try await harness.write(touched)
        try await harness.write(StatusFixtures.rolledBack)
        guard case .final(let verdict, let object) = try await waiting.value else {
            Issue.record("no final verdict")
            return
        }
        #expect(verdict.outcome == .failed && verdict.reason == "CrashLoop")
        #expect(object.meta.name == "web")
        #expect(await reports.next() == .line("web: revision 5d6d7bdfdf failed (CrashLoop): Release of web failed (CrashLoop); rolling back to revision 7c9f8b6d5"))
    }

    @Test func theWatchIsResumedAfterItEndsAfter410GoneAndAfterAConnectionFailure() async throws {
        let harness = Harness()
        try await harness.api.create(.appReleases, namespace: "shop", object: StatusFixtures.staleReady)
        let waiting = harness.start()
        var reports = harness.reports.makeAsyncIterator()
        #expect(await reports.next() == .line("web: waiting for the controller to observe generation 2 (the status is for generation 1)"))

        // The server ends the watch: re-watched from the last version, the change arrives.
        harness.api.dropWatches()
        try await harness.write(StatusFixtures.serviceMissing)
        #expect(await reports.next()?.isLine == true)

        // The version is too old (410 Gone): listed again, the change arrives. (A write
        // elsewhere moves the server past the waiter's version before history is compacted.)
        try await harness.api.create(.configMaps, namespace: "shop", object: ["metadata": ["name": "unrelated"]])
        harness.api.compact()
        harness.api.dropWatches()
        try await harness.write(StatusFixtures.canaryAtStep2)
        #expect(await reports.next() == .line("web: revision 5d6d7bdfdf 1/3 available (canary 25%, step 2/5, paused at a step)"))
        #expect(harness.api.requestLog().filter { $0.verb == "LIST" && $0.resource == "appreleases" }.count == 2)

        // The connection fails: reported, retried, and the verdict still arrives.
        harness.api.setFailing(true)
        harness.api.dropWatches()
        guard case .interrupted = await reports.next() else {
            Issue.record("the failure was not reported")
            return
        }
        harness.api.setFailing(false)
        try await harness.write(StatusFixtures.ready)
        guard case .final(let verdict, _) = try await waiting.value else {
            Issue.record("no final verdict")
            return
        }
        #expect(verdict.outcome == .ready)
    }

    @Test func theTimeoutEndsTheWaitWithTheLastLine() async throws {
        let harness = Harness()
        try await harness.api.create(.appReleases, namespace: "shop", object: StatusFixtures.serviceMissing)
        // Nothing will ever change: only the timeout can end this wait.
        guard case .timedOut(let verdict, let line) = try await harness.start(timeout: .milliseconds(50)).value else {
            Issue.record("the wait did not time out")
            return
        }
        #expect(verdict?.isBlocked == true)
        #expect(line?.contains("ServiceNotFound") == true)
    }

    @Test func aMissingAppReleaseIsNotFound() async throws {
        let harness = Harness()
        await #expect(throws: PluginError.self) { try await harness.start().value }
        let requests = harness.api.requestLog().filter { $0.resource == "appreleases" }
        #expect(requests.first?.verb == "LIST")
        #expect(requests.first?.fieldSelector == "metadata.name=web")
    }

    @Test func aDeletionWhileWaitingEndsTheWait() async throws {
        let harness = Harness()
        try await harness.api.create(.appReleases, namespace: "shop", object: StatusFixtures.canaryAtStep2)
        let waiting = harness.start()
        var reports = harness.reports.makeAsyncIterator()
        _ = await reports.next()
        try await harness.api.delete(.appReleases, namespace: "shop", name: "web")
        guard case .deleted = try await waiting.value else {
            Issue.record("the deletion did not end the wait")
            return
        }
    }
}

extension StatusWaiter.Report {
    var isLine: Bool {
        if case .line = self { return true }
        return false
    }
}
