import AppReleaseAPI
import ArgumentParser

/// What `promote`, `abort` and `retry` share: the cluster, how long to wait for the controller's
/// answer, and how that answer is reported (exit 0 applied, 1 not applied, 2 no answer).
struct RequestOptions: ParsableArguments {
    @OptionGroup var cluster: ClusterOptions

    @Option(help: "How long to wait for the controller's answer, e.g. 30s, 2m; 0s sets the request without waiting.")
    var timeout = WaitTimeout(seconds: Int(RequestSender.defaultTimeout.components.seconds))

    /// Sends `kind` with `value` to the AppRelease `name` and prints the controller's answer.
    func send(_ kind: RequestKind, value: String, to name: String) async throws {
        let context = try cluster.connect()
        let reference = AppReleaseObject.reference(name)
        let sender = RequestSender(context: context, name: name)
        guard timeout.waits else {
            try await sender.set(kind, value: value)
            print("\(reference) \(kind.rawValue) requested (\(kind.annotation)=\(value))")
            return
        }
        let result = try await sender.send(kind, value: value, timeout: timeout.duration)
        guard result.applied else { throw PluginError.requestNotApplied("\(reference): \(result.message)") }
        print("\(reference): \(result.message)")
    }
}
