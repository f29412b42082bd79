import AppReleaseAPI
import KubeClient
import KubeModels
import Testing
import TestSupport

@testable import AppReleasePlugin

/// promote / abort / retry: the annotation is set to a new value, then the controller's answer
/// is awaited on a watch (never by polling) and reported.
@Suite("Requests")
struct RequestSenderTests {
    static func appRelease(_ name: String = "web") -> JSONValue {
        [
            "apiVersion": "apprelease.dev/v1alpha1", "kind": "AppRelease",
            "metadata": ["name": .string(name), "namespace": "shop"],
            "spec": ["image": .string("registry.example/web@sha256:" + String(repeating: "a", count: 64)), "template": [:]],
        ]
    }

    /// A fake API server holding `web` in `shop`, and a context on it.
    static func cluster() async throws -> (FakeKubernetesAPI, PluginContext) {
        let api = FakeKubernetesAPI()
        try await api.create(.appReleases, namespace: "shop", object: appRelease())
        return (api, PluginContext(api: api, namespace: "shop"))
    }

    /// Stands in for the controller: once `kind`'s annotation holds a value it has not answered,
    /// writes `status.acknowledged` and the result for it.
    static func answer(
        _ kind: RequestKind, on api: FakeKubernetesAPI, applied: Bool, message: String
    ) -> Task<Void, any Error> {
        Task {
            for try await event in api.watch(.appReleases, namespace: "shop", options: WatchOptions()) {
                guard let value = event.object.meta.annotations[kind.annotation],
                    kind.acknowledgedValue(in: AppReleaseObject(event.object).status) != value
                else { continue }
                let result: JSONValue = ["value": .string(value), "applied": .bool(applied), "message": .string(message)]
                try await api.patch(
                    .appReleases, namespace: "shop", name: "web",
                    patch: .merge(["status": ["acknowledged": [kind.rawValue: .string(value), "results": [kind.rawValue: result]]]]))
                return
            }
        }
    }

    @Test func promoteIsAnsweredThroughAWatchOnTheObjectsName() async throws {
        let (api, context) = try await Self.cluster()
        let controller = Self.answer(.promote, on: api, applied: true, message: "Revision x promoted on request: switching Service web")
        defer { controller.cancel() }
        let value = RequestValue.make()
        let result = try await RequestSender(context: context, name: "web").send(.promote, value: value, timeout: .seconds(20))
        #expect(result.applied)
        #expect(result.value == value)
        #expect(result.message == "Revision x promoted on request: switching Service web")

        let log = api.requestLog().filter { $0.resource == "appreleases" }
        let patch = try #require(log.first { $0.verb == "PATCH" })
        #expect(patch.patch == .merge(["metadata": ["annotations": ["apprelease.dev/promote": .string(value)]]]))
        #expect(log.contains { $0.verb == "WATCH" && $0.fieldSelector == "metadata.name=web" && $0.namespace == "shop" })
        #expect(!log.contains { $0.verb == "GET" || $0.verb == "LIST" }, "no polling: \(log.map(\.verb))")
    }

    @Test func aRequestNotAppliedIsReportedWithTheControllersReason() async throws {
        let (api, context) = try await Self.cluster()
        let controller = Self.answer(.retry, on: api, applied: false, message: "Nothing failed: nothing to retry")
        defer { controller.cancel() }
        let result = try await RequestSender(context: context, name: "web").send(.retry, value: RequestValue.make(), timeout: .seconds(20))
        #expect(!result.applied)
        #expect(result.message == "Nothing failed: nothing to retry")
    }

    @Test func noAnswerTimesOutSayingTheControllerHasNotActed() async throws {
        let (_, context) = try await Self.cluster()
        do {
            _ = try await RequestSender(context: context, name: "web").send(.abort, value: "1-abc", timeout: .milliseconds(300))
            Issue.record("expected a timeout")
        } catch let error as PluginError {
            #expect(error.exitCode == .timedOut)
            #expect(error.description.contains("the controller has not acted on apprelease.dev/abort=1-abc"))
            #expect(error.description.contains("is it running?"))
        }
    }

    @Test func aMissingAppReleaseIsNamedWithItsNamespace() async throws {
        let (_, context) = try await Self.cluster()
        do {
            _ = try await RequestSender(context: context, name: "api").send(.promote, value: "1-abc", timeout: .seconds(1))
            Issue.record("expected NotFound")
        } catch let error as PluginError {
            #expect(error.exitCode == .clusterError)
            #expect(error.description == #"Error from server (NotFound): appreleases.apprelease.dev "api" not found in namespace "shop""#)
        }
    }

    @Test func aValueReplacedBeforeTheControllerReadItIsAnsweredByTheNewerRequest() {
        var object = Self.appRelease()
        object["metadata"]?["annotations"] = ["apprelease.dev/promote": "2-theirs"]
        object["status"] = ["acknowledged": ["promote": "2-theirs", "results": ["promote": ["value": "2-theirs", "applied": true, "message": "Promoted"]]]]
        let answer = RequestSender.answer(to: .promote, value: "1-ours", in: AppReleaseObject(object))
        #expect(answer?.message == "Promoted")
        // An answer to an older value is not ours.
        object["metadata"]?["annotations"] = ["apprelease.dev/promote": "1-ours"]
        #expect(RequestSender.answer(to: .promote, value: "1-ours", in: AppReleaseObject(object)) == nil)
    }

    @Test func aWatchTooOldToResumeStartsAgainFromTheObject() async throws {
        let (api, context) = try await Self.cluster()
        let before = try await api.get(.appReleases, namespace: "shop", name: "web")
        try await api.patch(.appReleases, namespace: "shop", name: "web", patch: .merge(["status": ["phase": "Healthy"]]))
        api.compact()  // the watch from `before` gets 410 Gone
        let phase = try await AppReleaseWatch(context: context, name: "web").wait(from: before, timeout: .seconds(10)) { json in
            AppReleaseObject(json).status.phase
        }
        #expect(phase == .healthy)
    }

    @Test func unspentValuesAreUniqueAndAFullPromotionStartsWithFull() {
        let values = Set((0..<100).map { _ in RequestValue.make() })
        #expect(values.count == 100)
        #expect(RequestValue.make(full: true).hasPrefix("full-"))
        #expect(!RequestValue.make().hasPrefix("full"))
    }
}
