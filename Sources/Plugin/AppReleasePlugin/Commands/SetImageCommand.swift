import ArgumentParser

struct SetImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-image", abstract: "Not implemented yet.")

    func run() async throws {
        throw PluginError.invalidArgument("set-image is not implemented yet")
    }
}
