import ArgumentParser

/// `kubectl apprelease`: see, wait for and steer AppReleases from the command line.
public struct PluginCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubectl apprelease",
        abstract: "See, wait for and steer AppRelease releases.",
        discussion: ExitCode.documentation,
        subcommands: [
            GetCommand.self, StatusCommand.self, SetImageCommand.self, PromoteCommand.self, AbortCommand.self,
            RetryCommand.self, PauseCommand.self, ResumeCommand.self, UndoCommand.self, HistoryCommand.self,
            ListCommand.self, CompletionCommand.self,
        ])

    public init() {}
}
