import AppReleaseAPI
import Foundation
import KubeModels

/// Sets a request annotation to a new value, then waits (on a watch) for the controller's answer
/// in `status.acknowledged.results.<kind>`, so the user learns what was done, not only that the
/// annotation was written.
struct RequestSender: Sendable {
    let context: PluginContext
    let name: String

    /// A request is answered in about a reconcile; 30 s is long enough for a loaded controller and
    /// short enough that a stopped one is reported while the user still waits.
    static let defaultTimeout: Duration = .seconds(30)

    /// The controller's answer to `kind` set to `value`. Throws `PluginError.timedOut` when none
    /// comes within `timeout`.
    func send(_ kind: RequestKind, value: String, timeout: Duration) async throws -> RequestResult {
        let written = try await set(kind, value: value)
        do {
            return try await AppReleaseWatch(context: context, name: name).wait(from: written, timeout: timeout) { json in
                Self.answer(to: kind, value: value, in: AppReleaseObject(json))
            }
        } catch let timedOut as AppReleaseWatch.TimedOut {
            throw PluginError.timedOut(Self.noAnswer(kind, value: value, name: name, timeout: timeout, lastSeen: AppReleaseObject(timedOut.lastSeen)))
        }
    }

    /// Writes the request (a merge patch of one annotation); the object as stored, whose
    /// resourceVersion the wait for the answer starts from.
    @discardableResult
    func set(_ kind: RequestKind, value: String) async throws -> JSONValue {
        try await context.mergePatch(name, ["metadata": ["annotations": [kind.annotation: .string(value)]]])
    }

    /// The result for our value; or, when someone replaced our value before the controller read
    /// it, the result for theirs (the controller acts on the annotation's latest value, so that
    /// answer covers ours too).
    static func answer(to kind: RequestKind, value: String, in object: AppReleaseObject) -> RequestResult? {
        guard let result = kind.result(in: object.status) else { return nil }
        if result.value == value { return result }
        if let current = object.annotations[kind.annotation], current != value, result.value == current { return result }
        return nil
    }

    /// Why no answer came, from the last version seen: a spec the controller refuses, or (most
    /// often) no controller running.
    static func noAnswer(_ kind: RequestKind, value: String, name: String, timeout: Duration, lastSeen: AppReleaseObject) -> String {
        let request = "\(kind.annotation)=\(value) on appreleases.apprelease.dev \"\(name)\""
        let waited = "within \(timeout.components.seconds)s"
        if lastSeen.status.phase == .invalidSpec {
            return "the controller has not acted on \(request) \(waited): the spec is invalid, and no request is acted on "
                + "until it is fixed (\(lastSeen.status.message ?? "see kubectl describe"))"
        }
        return "the controller has not acted on \(request) \(waited): is it running? "
            + "(kubectl get pods -n apprelease-system; the request stays set and is acted on when it runs)"
    }
}
