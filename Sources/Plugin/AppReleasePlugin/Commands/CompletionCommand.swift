import ArgumentParser

struct CompletionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print a shell completion script (bash, zsh or fish).",
        discussion: """
            The script completes the commands and flags of kubectl-apprelease (the executable \
            kubectl runs; kubectl itself completes plugin arguments only through a \
            kubectl_complete-apprelease helper, which this plugin does not ship).

            Examples:
              # bash: load now, and in every new shell
              source <(kubectl apprelease completion bash)
              kubectl apprelease completion bash > /etc/bash_completion.d/kubectl-apprelease
              # zsh: a file named _kubectl-apprelease on $fpath
              kubectl apprelease completion zsh > "${fpath[1]}/_kubectl-apprelease"
              # fish
              kubectl apprelease completion fish > ~/.config/fish/completions/kubectl-apprelease.fish

            Exit status: 0 printed; 64 an unknown shell.
            """)

    @Argument(help: "The shell: bash, zsh or fish.")
    var shell: Shell

    enum Shell: String, ExpressibleByArgument, CaseIterable {
        case bash, zsh, fish

        var completionShell: CompletionShell {
            switch self {
            case .bash: return .bash
            case .zsh: return .zsh
            case .fish: return .fish
            }
        }
    }

    func run() async throws {
        print(Self.script(for: shell.completionShell))
    }

    /// ArgumentParser's script for the command tree, generated under the executable's name:
    /// the root's display name, "kubectl apprelease", has a space, which no shell function or
    /// `complete` registration can carry.
    static func script(for shell: CompletionShell) -> String {
        ExecutableRoot.completionScript(for: shell)
    }

    private struct ExecutableRoot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kubectl-apprelease", subcommands: PluginCommand.configuration.subcommands)
    }
}
