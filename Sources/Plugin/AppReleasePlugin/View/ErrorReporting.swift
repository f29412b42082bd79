import ArgumentParser
import KubeClient

/// Runs a command's body so that whatever goes wrong reaches the user as kubectl says it
/// (`Error from server (NotFound): …`, `Unable to connect to the server: …`) on stderr, with the
/// documented exit code, and never as a Swift error dump.
///
/// `get` and `status` use it; it belongs with `PluginError` and could serve every command.
enum ErrorReporting {
    static func run(console: Console = .standard, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch is CancellationError {
            throw ExitCode(130)  // as a shell reports an interrupted command
        } catch {
            let (message, code) = describe(error)
            console.err(message + "\n")
            throw code
        }
    }

    /// The message and exit code for `error`.
    static func describe(_ error: any Error) -> (String, ExitCode) {
        switch error {
        case let error as PluginError:
            switch error {
            case .requestNotApplied: return (error.description, .releaseFailed)
            case .invalidArgument: return (error.description, .validationFailure)
            case .configuration, .notFound: return (error.description, .clusterError)
            }
        case let error as KubernetesError:
            switch error {
            case .api(let status):
                return ("Error from server (\(status.reason ?? "Unknown")): \(status.message ?? "code \(status.code)")", .clusterError)
            case .transport(let message):
                return ("Unable to connect to the server: \(message)", .clusterError)
            case .invalidRequest(let message):
                return ("error: \(message)", .clusterError)
            }
        default:
            return ("error: \(error)", .clusterError)
        }
    }
}
