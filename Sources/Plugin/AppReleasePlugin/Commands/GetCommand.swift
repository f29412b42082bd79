import ArgumentParser

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Not implemented yet.")

    func run() async throws {
        throw PluginError.invalidArgument("get is not implemented yet")
    }
}
