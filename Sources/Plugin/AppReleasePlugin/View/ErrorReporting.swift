import ArgumentParser
import KubeClient

/// Runs a command's body so that whatever goes wrong reaches the user as kubectl says it
/// (`Error from server (NotFound): …`, `Unable to connect to the server: …`) on stderr, with the
/// documented exit code, and never as a Swift error dump.
///
/// `get` and `status` use it so that their console (a terminal, or a test's capture) receives the
/// error; the wording and the codes are `PluginError`'s.
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

    /// The message and exit code for `error`: `PluginError`'s wording and codes, the same as
    /// every other command gets from `PluginCommand.main()`.
    static func describe(_ error: any Error) -> (String, ExitCode) {
        guard let mapped = PluginError.from(error) as? PluginError else { return ("error: \(error)", .clusterError) }
        return (mapped.description, mapped.exitCode)
    }
}
