import ArgumentParser

struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Promote a release that waits: switch a blue/green's active Service, or end a canary's pause.",
        discussion: """
            Sets the apprelease.dev/promote annotation to a new value, then waits (--timeout) for \
            the controller's answer in status.acknowledged.results.promote and prints it. \
            BlueGreen: switches the active Service to the new revision (it must be ready). \
            Canary: ends the current pause step; --full skips every remaining step.

            Examples:
              # A blue/green release waits for promotion: switch the active Service now
              kubectl apprelease promote web -n shop

              # A canary: go to 100% now, skipping the remaining steps
              kubectl apprelease promote web --full

            Exit status: 0 promoted; 1 not applied (nothing waits for promotion, or a setWeight \
            step is still scaling: the message says why); 2 no answer within --timeout; 3 not \
            found or the cluster refused the call.
            """)

    @Argument(help: "The AppRelease to promote.")
    var name: String

    @Flag(help: "Canary: skip every remaining step (the value starts with 'full').")
    var full = false

    @OptionGroup var request: RequestOptions

    func run() async throws {
        try await request.send(.promote, value: RequestValue.make(full: full), to: name)
    }
}
