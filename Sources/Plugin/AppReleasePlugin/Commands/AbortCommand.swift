import ArgumentParser

struct AbortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abort",
        abstract: "Fail the release in flight now and revert to the stable revision.",
        discussion: """
            Sets the apprelease.dev/abort annotation to a new value, then waits (--timeout) for the \
            controller's answer in status.acknowledged.results.abort and prints it. The release \
            fails with reason Aborted: traffic goes back to the stable revision first, then the \
            new revision's pods are removed. The aborted image is not released again until the \
            spec changes or `retry` is asked.

            Examples:
              kubectl apprelease abort web -n shop
              kubectl apprelease abort web --timeout 2m

            Exit status: 0 aborted; 1 not applied (no release in flight); 2 no answer within \
            --timeout; 3 not found or the cluster refused the call.
            """)

    @Argument(help: "The AppRelease whose release to abort.")
    var name: String

    @OptionGroup var request: RequestOptions

    func run() async throws {
        try await request.send(.abort, value: RequestValue.make(), to: name)
    }
}
