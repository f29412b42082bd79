import ArgumentParser

struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Freeze a release where it is (spec.paused: true).",
        discussion: """
            While paused: no new ReplicaSet, no scaling between revisions, no progress deadline. \
            Changes of replicas still apply, and a revert is never paused. `resume` continues.

            Examples:
              kubectl apprelease pause web -n shop
              kubectl apprelease set-image web ghcr.io/acme/web@sha256:…   # waits until resumed
              kubectl apprelease resume web

            Exit status: 0 paused (or already paused); 3 not found or the cluster refused the call.
            """)

    @Argument(help: "The AppRelease to pause.")
    var name: String

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        try await PausedToggle(context: try cluster.connect(), name: name).set(paused: true)
    }
}
