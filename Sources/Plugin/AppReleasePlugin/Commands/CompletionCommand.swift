import ArgumentParser

struct CompletionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "completion", abstract: "Not implemented yet.")

    func run() async throws {
        throw PluginError.invalidArgument("completion is not implemented yet")
    }
}
