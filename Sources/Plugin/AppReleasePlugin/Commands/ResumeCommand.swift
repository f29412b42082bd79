import ArgumentParser

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a paused release (spec.paused: false).",
        discussion: """
            Examples:
              kubectl apprelease resume web -n shop

            Exit status: 0 resumed (or not paused); 3 not found or the cluster refused the call.
            """)

    @Argument(help: "The AppRelease to resume.")
    var name: String

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        try await PausedToggle(context: try cluster.connect(), name: name).set(paused: false)
    }
}
