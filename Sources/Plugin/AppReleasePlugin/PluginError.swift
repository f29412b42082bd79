import ArgumentParser

/// What went wrong, in kubectl's words, with the exit code scripts rely on.
enum PluginError: Error, CustomStringConvertible {
    case configuration(String)
    case notFound(name: String, namespace: String)
    /// A request the controller did not act on (e.g. `promote` with nothing waiting).
    case requestNotApplied(String)
    case invalidArgument(String)

    var description: String {
        switch self {
        case .configuration(let message): return "error: \(message)"
        case .notFound(let name, let namespace):
            return "Error from server (NotFound): appreleases.apprelease.dev \"\(name)\" not found in namespace \"\(namespace)\""
        case .requestNotApplied(let message): return "error: \(message)"
        case .invalidArgument(let message): return "error: \(message)"
        }
    }
}

extension ExitCode {
    /// The release failed: reverted, degraded, aborted or invalid; or a request was not applied.
    static let releaseFailed = ExitCode(1)
    /// `status --wait` ran out of time before a verdict.
    static let timedOut = ExitCode(2)
    /// The cluster could not be reached, or the AppRelease does not exist.
    static let clusterError = ExitCode(3)

    static let documentation = """
        Exit codes: 0 success (Ready, or the request applied); 1 the release failed (rolled back, \
        degraded, aborted, invalid spec) or the request was not applied; 2 timed out waiting; \
        3 the cluster could not be reached or the AppRelease does not exist; 64 bad usage.
        """
}
