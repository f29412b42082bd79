import ArgumentParser

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Not implemented yet.")

    func run() async throws {
        throw PluginError.invalidArgument("list is not implemented yet")
    }
}
