import ArgumentParser
import CommandLineSupport
import Testing

@testable import AppReleasePlugin

/// kubectl takes `--watch=false`; its plugin takes what kubectl takes.
@Suite("Plugin boolean flags as kubectl spells them")
struct KubernetesFlagTests {
    static func parse<Command: ParsableCommand>(_ arguments: [String], as _: Command.Type) throws -> Command {
        try #require(try PluginCommand.parseAsRoot(kubernetesStyle: arguments) as? Command)
    }

    @Test("get --watch and -w take =true and =false")
    func getWatch() throws {
        #expect(try Self.parse(["get", "web", "--watch=false"], as: GetCommand.self).watch == false)
        #expect(try Self.parse(["get", "web", "--watch=true"], as: GetCommand.self).watch)
        #expect(try Self.parse(["get", "web", "-w", "--watch=false"], as: GetCommand.self).watch == false)
        #expect(try Self.parse(["get", "web", "-w=1", "-n", "shop"], as: GetCommand.self).watch)
    }

    @Test("the other commands' boolean flags too")
    func otherCommands() throws {
        #expect(try Self.parse(["status", "web", "--wait=false"], as: StatusCommand.self).wait == false)
        #expect(try Self.parse(["status", "web", "--wait=true"], as: StatusCommand.self).wait)
        #expect(try Self.parse(["list", "--all-namespaces=true"], as: ListCommand.self).allNamespaces)
        #expect(try Self.parse(["list", "-A", "--all-namespaces=false"], as: ListCommand.self).allNamespaces == false)
        #expect(try Self.parse(["promote", "web", "--full=false"], as: PromoteCommand.self).full == false)
    }

    @Test("a value that is not a boolean is a usage error naming the flag")
    func refusesOtherValues() throws {
        let error = try #require(throws: (any Error).self) { try PluginCommand.parseAsRoot(kubernetesStyle: ["get", "web", "--watch=perhaps"]) }
        let message = PluginCommand.fullMessage(for: error)
        #expect(message.hasPrefix("error: --watch takes no value, or one of 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False; not 'perhaps'"), "\(message)")
        #expect(PluginCommand.exitCode(for: error).rawValue == 64)
    }
}
