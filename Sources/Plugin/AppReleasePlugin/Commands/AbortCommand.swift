import ArgumentParser

struct AbortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "abort", abstract: "Not implemented yet.")

    func run() async throws {
        throw PluginError.invalidArgument("abort is not implemented yet")
    }
}
