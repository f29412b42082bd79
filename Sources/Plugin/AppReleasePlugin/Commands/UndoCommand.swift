import ArgumentParser

struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "undo", abstract: "Not implemented yet.")

    func run() async throws {
        throw PluginError.invalidArgument("undo is not implemented yet")
    }
}
