import ArgumentParser
import CommandLineSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PluginCommand {
    /// The entry point for every command (this shadows `AsyncParsableCommand.main()`): parse, run,
    /// and turn whatever is thrown into one line on stderr, kubectl's wording, and the documented
    /// exit code. Never a stack trace, never `Error: error:`.
    public static func main() async {
        let status = await execute(Array(CommandLine.arguments.dropFirst()))
        // Qualified: inside a ParsableCommand, `exit` names ArgumentParser's `exit(withError:)`.
        #if canImport(Glibc)
        Glibc.exit(status)
        #else
        Darwin.exit(status)
        #endif
    }

    /// Runs the command line `arguments`; the exit status. Help and usage errors are printed by
    /// ArgumentParser (exit 0 and 64); everything else by `report`.
    static func execute(_ arguments: [String]) async -> Int32 {
        let command: any ParsableCommand
        do {
            // kubectl takes `--watch=false`; so does its plugin.
            command = try parseAsRoot(kubernetesStyle: arguments)
        } catch {
            return exitCode(forParsing: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
            return ExitCode.success.rawValue
        } catch {
            return report(error)
        }
    }

    /// Prints what a command threw; its exit status.
    static func report(_ error: any Error) -> Int32 {
        let mapped = PluginError.from(error)
        if let pluginError = mapped as? PluginError {
            StandardError.print(pluginError.description)
            return pluginError.exitCode.rawValue
        }
        // ExitCode (a command that printed its own verdict), CleanExit and anything else:
        // ArgumentParser's rendering, with our `error: ` prefix.
        return exitCode(forParsing: mapped)
    }

    private static func exitCode(forParsing error: any Error) -> Int32 {
        let text = fullMessage(for: error)
        let code = exitCode(for: error)
        if !text.isEmpty {
            if code == .success { print(text) } else { StandardError.print(text) }
        }
        return code.rawValue
    }
}
