import ArgumentParser

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Not implemented yet.")

    func run() async throws {
        throw PluginError.invalidArgument("status is not implemented yet")
    }
}
