import ArgumentParser
import Foundation
import Testing

@testable import AppReleasePlugin

@Suite("Argument validation")
struct ArgumentValidationTests {
    static let digest = "ghcr.io/acme/web@sha256:" + String(repeating: "ab", count: 32)

    /// What ArgumentParser would print for `arguments`, and the exit code.
    static func refusal(_ arguments: [String]) -> (message: String, code: Int32)? {
        do {
            _ = try PluginCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return (PluginCommand.fullMessage(for: error), PluginCommand.exitCode(for: error).rawValue)
        }
    }

    @Test func setImageRefusesATagAndSaysWhyDigestsAreRequired() throws {
        let refused = try #require(Self.refusal(["set-image", "web", "ghcr.io/acme/web:1.4.2"]))
        #expect(refused.code == 64)
        #expect(refused.message.hasPrefix("error: image \"ghcr.io/acme/web:1.4.2\" has a tag (\"1.4.2\") but no digest."))
        #expect(refused.message.contains("a tag can be moved to other content"))
        #expect(refused.message.contains("must run exactly what ran before"))
        #expect(!refused.message.contains("Error:"))
    }

    @Test func setImageRefusesADigestOfTheWrongLength() throws {
        let refused = try #require(Self.refusal(["set-image", "web", "ghcr.io/acme/web@sha256:0123abcd"]))
        #expect(refused.code == 64)
        #expect(refused.message.contains("a digest of 8 hex characters; a sha256 digest has 64"))
    }

    @Test func setImageTakesADigest() throws {
        let command = try #require(try PluginCommand.parseAsRoot(["set-image", "web", Self.digest, "-n", "shop"]) as? SetImageCommand)
        #expect(command.image == Self.digest)
        #expect(command.cluster.namespace == "shop")
    }

    @Test func promoteFullAndTimeout() throws {
        let command = try #require(try PluginCommand.parseAsRoot(["promote", "web", "--full", "--timeout", "2m"]) as? PromoteCommand)
        #expect(command.full)
        #expect(command.request.timeout.seconds == 120)
        let plain = try #require(try PluginCommand.parseAsRoot(["promote", "web"]) as? PromoteCommand)
        #expect(!plain.full)
        #expect(plain.request.timeout.seconds == 30)
    }

    @Test func timeoutsNeedAUnitAsKubectlSpellsThem() throws {
        #expect(WaitTimeout(argument: "1m30s")?.seconds == 90)
        #expect(WaitTimeout(argument: "0s")?.waits == false)
        #expect(WaitTimeout(argument: "30") == nil)
        let refused = try #require(Self.refusal(["abort", "web", "--timeout", "soon"]))
        #expect(refused.code == 64)
        #expect(refused.message.contains("--timeout"))
    }

    @Test func undoRevisionNumbersStartAtOne() throws {
        let refused = try #require(Self.refusal(["undo", "web", "--to-revision", "0"]))
        #expect(refused.code == 64)
        #expect(refused.message.hasPrefix("error: --to-revision must be 1 or more"))
        let command = try #require(try PluginCommand.parseAsRoot(["undo", "web", "--to-revision", "3"]) as? UndoCommand)
        #expect(command.toRevision == 3)
    }

    @Test func listAllNamespacesAndOutput() throws {
        let command = try #require(try PluginCommand.parseAsRoot(["list", "-A", "-o", "yaml"]) as? ListCommand)
        #expect(command.allNamespaces)
        #expect(command.output == .yaml)
        #expect(Self.refusal(["list", "-o", "wide"])?.code == 64)
    }

    @Test func aMissingNameIsAUsageError() throws {
        let refused = try #require(Self.refusal(["promote"]))
        #expect(refused.code == 64)
        #expect(refused.message.hasPrefix("error: Missing expected argument '<name>'"))
    }

    @Test func completionKnowsThreeShells() throws {
        #expect(Self.refusal(["completion", "powershell"])?.code == 64)
        let command = try #require(try PluginCommand.parseAsRoot(["completion", "zsh"]) as? CompletionCommand)
        #expect(command.shell == .zsh)
        for shell in CompletionCommand.Shell.allCases {
            let script = CompletionCommand.script(for: shell.completionShell)
            #expect(script.contains("set-image") && script.contains("to-revision"), "\(shell)")
            #expect(script.contains("kubectl-apprelease") && !script.contains("kubectl apprelease"), "\(shell)")
        }
    }

    @Test func theBashScriptIsValidBash() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("completion-\(UUID().uuidString.prefix(8)).bash")
        try CompletionCommand.script(for: .bash).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let bash = Process()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = ["-n", file.path]
        try bash.run()
        bash.waitUntilExit()
        #expect(bash.terminationStatus == 0)
    }

    @Test("--help of every command shows examples", arguments: [
        SetImageCommand.self, PromoteCommand.self, AbortCommand.self, RetryCommand.self, PauseCommand.self,
        ResumeCommand.self, UndoCommand.self, HistoryCommand.self, ListCommand.self, CompletionCommand.self,
    ] as [any ParsableCommand.Type])
    func helpShowsExamples(_ command: any ParsableCommand.Type) {
        let help = PluginCommand.helpMessage(for: command)
        #expect(help.contains("Examples:"), "\(command)")
        #expect(help.contains("Exit status:"), "\(command)")
        #expect(help.contains("kubectl apprelease \(command.configuration.commandName ?? "")"), "\(command)")
    }

    @Test func rootHelpDocumentsExitCodes() {
        let help = PluginCommand.helpMessage()
        #expect(help.contains("Exit codes: 0 success"))
        #expect(help.contains("64 bad usage"))
    }
}
