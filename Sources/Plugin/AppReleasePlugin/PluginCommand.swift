import ArgumentParser

/// `kubectl apprelease`: see, wait for and steer AppReleases from the command line.
public struct PluginCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubectl apprelease",
        abstract: "See, wait for and steer AppRelease releases.",
        discussion: """
            The cluster is found as kubectl finds it: --kubeconfig, else $KUBECONFIG, else \
            ~/.kube/config, else the pod's service account; --context, else the current context; \
            -n/--namespace, else the context's namespace, else "default". Flags go after the \
            command: kubectl apprelease promote web -n shop.

            Examples:
              kubectl apprelease list -A
              kubectl apprelease set-image web ghcr.io/acme/web@sha256:<64 hex> -n shop
              kubectl apprelease status web --wait
              kubectl apprelease promote web
              kubectl apprelease undo web
              kubectl apprelease history web -o yaml

            \(ExitCode.documentation)
            """,
        subcommands: [
            GetCommand.self, StatusCommand.self, SetImageCommand.self, PromoteCommand.self, AbortCommand.self,
            RetryCommand.self, PauseCommand.self, ResumeCommand.self, UndoCommand.self, HistoryCommand.self,
            ListCommand.self, CompletionCommand.self,
        ])

    /// kubectl's spelling for every error ArgumentParser prints (usage errors included).
    public static var _errorPrefix: String { "error: " }

    public init() {}
}
