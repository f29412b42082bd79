import ArgumentParser

struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Not implemented yet.")

    func run() async throws {
        throw PluginError.invalidArgument("pause is not implemented yet")
    }
}
