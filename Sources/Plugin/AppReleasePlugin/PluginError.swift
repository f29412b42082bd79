import ArgumentParser

/// What went wrong, in kubectl's words, with the exit code scripts rely on.
///
/// `description` is the whole line printed to stderr (its own `error: ` or `Error from server`
/// prefix included), so `PluginCommand.main()` prints it as is. Throw these from `run()`, never
/// from `validate()`: ArgumentParser wraps what `validate()` throws and would print its own prefix
/// in front of ours (use `ValidationError` there; it exits 64 with the usage).
enum PluginError: Error, CustomStringConvertible {
    /// No usable kubeconfig or context.
    case configuration(String)
    case notFound(name: String, namespace: String)
    /// The cluster does not serve AppReleases: the CRD is not installed.
    case resourceNotServed
    /// The API server refused a call: its `Status` reason and message.
    case server(reason: String, message: String)
    /// The API server refused the object: `The AppRelease "web" is invalid: …`.
    case invalid(name: String, message: String)
    case unauthorized
    /// No answer from the API server (connection refused, TLS, timeout).
    case unreachable(String)
    /// A request the controller did not act on (e.g. `promote` with nothing waiting).
    case requestNotApplied(String)
    /// The release failed: rolled back, degraded, aborted or an invalid spec.
    case releaseFailed(String)
    /// Waited `--timeout` without the answer waited for.
    case timedOut(String)
    case invalidArgument(String)

    var description: String {
        switch self {
        case .configuration(let message): return "error: \(message)"
        case .notFound(let name, let namespace):
            return "Error from server (NotFound): appreleases.apprelease.dev \"\(name)\" not found in namespace \"\(namespace)\""
        case .resourceNotServed:
            return "error: the server doesn't have a resource type \"appreleases\" (install the CRD: kubectl apply -f crds/)"
        case .server(let reason, let message): return "Error from server (\(reason)): \(message)"
        case .invalid(let name, let message): return "The AppRelease \"\(name)\" is invalid: \(message)"
        case .unauthorized: return "error: You must be logged in to the server (Unauthorized)"
        case .unreachable(let message): return "Unable to connect to the server: \(message)"
        case .requestNotApplied(let message), .releaseFailed(let message), .timedOut(let message), .invalidArgument(let message):
            return "error: \(message)"
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .requestNotApplied, .releaseFailed, .invalid: return .releaseFailed
        case .timedOut: return .timedOut
        case .configuration, .notFound, .resourceNotServed, .server, .unauthorized, .unreachable: return .clusterError
        case .invalidArgument: return .validationFailure
        }
    }
}

extension ExitCode {
    /// The release failed: reverted, degraded, aborted or invalid; or a request was not applied.
    static let releaseFailed = ExitCode(1)
    /// `status --wait`, or a request's wait for the controller, ran out of time.
    static let timedOut = ExitCode(2)
    /// The cluster could not be reached, refused the call, or the AppRelease does not exist.
    static let clusterError = ExitCode(3)

    static let documentation = """
        Exit codes: 0 success (Ready, or the request applied); 1 the release failed (rolled back, \
        degraded, aborted, invalid spec) or the request was not applied; 2 timed out waiting (for a \
        verdict, or for the controller to act on a request); 3 the cluster could not be reached, \
        refused the call, or the AppRelease does not exist; 64 bad usage.
        """
}
