import ArgumentParser

struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "promote", abstract: "Not implemented yet.")

    func run() async throws {
        throw PluginError.invalidArgument("promote is not implemented yet")
    }
}
