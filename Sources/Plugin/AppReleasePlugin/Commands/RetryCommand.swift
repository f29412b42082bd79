import ArgumentParser

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Not implemented yet.")

    func run() async throws {
        throw PluginError.invalidArgument("retry is not implemented yet")
    }
}
