import ArgumentParser

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Release a failed (or aborted) image again, without changing the spec.",
        discussion: """
            A failed release is not retried until the spec changes. This sets the \
            apprelease.dev/retry annotation to a new value, then waits (--timeout) for the \
            controller's answer in status.acknowledged.results.retry and prints it.

            Examples:
              # The registry was down when web@sha256:… was released; it is back
              kubectl apprelease retry web -n shop

            Exit status: 0 the release starts again; 1 not applied (nothing failed); 2 no answer \
            within --timeout; 3 not found or the cluster refused the call.
            """)

    @Argument(help: "The AppRelease whose failed release to retry.")
    var name: String

    @OptionGroup var request: RequestOptions

    func run() async throws {
        try await request.send(.retry, value: RequestValue.make(), to: name)
    }
}
