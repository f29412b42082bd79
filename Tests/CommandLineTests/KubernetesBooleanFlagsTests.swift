import ArgumentParser
import CommandLineSupport
import Testing

/// A command with every kind of flag the rewrite must tell apart.
fileprivate struct Tool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tool", subcommands: [Run.self, Show.self], defaultSubcommand: Run.self)
}

fileprivate struct Run: ParsableCommand {
    @Flag(inversion: .prefixedNo) var leaderElect = false
    @Flag(name: [.short, .long]) var watch = false
    @Flag(inversion: .prefixedEnableDisable) var cache = true
    @Flag(name: .customLong("no-cluster")) var noCluster = false
    @Flag(name: .shortAndLong) var verbose: Int
    @Option var label = "none"
    @Argument var rest: [String] = []
}

/// `--watch` here takes a value: a boolean flag of another subcommand must not change it.
fileprivate struct Show: ParsableCommand {
    @Option var watch = "nothing"
}

@Suite("Boolean flags as Kubernetes spells them")
struct KubernetesBooleanFlagsTests {
    fileprivate static func run(_ arguments: [String]) throws -> Run {
        try #require(try Tool.parseAsRoot(kubernetesStyle: arguments) as? Run)
    }

    @Test("every spelling of strconv.ParseBool sets an inverted flag", arguments: GoBoolean.trueSpellings + GoBoolean.falseSpellings)
    func everyGoSpelling(_ spelling: String) throws {
        let expected = try #require(GoBoolean.parse(spelling))
        #expect(try Self.run(["--leader-elect=\(spelling)"]).leaderElect == expected)
        #expect(try Self.run(["run", "--leader-elect=\(spelling)"]).leaderElect == expected)
    }

    @Test("the forms ArgumentParser already takes are unchanged")
    func plainForms() throws {
        #expect(try Self.run(["--leader-elect"]).leaderElect)
        #expect(try Self.run(["--leader-elect", "--no-leader-elect"]).leaderElect == false)
        #expect(try Self.run([]).leaderElect == false)
    }

    @Test("the last word wins, whichever form it takes")
    func lastWins() throws {
        #expect(try Self.run(["--leader-elect=true", "--leader-elect=false"]).leaderElect == false)
        #expect(try Self.run(["--no-leader-elect", "--leader-elect=1"]).leaderElect)
        #expect(try Self.run(["--no-leader-elect=false"]).leaderElect, "no-x=false means x")
        // Without an inversion, `=false` takes back an earlier `--watch` or `-w`.
        #expect(try Self.run(["-w", "--watch=false"]).watch == false)
        #expect(try Self.run(["--watch=false", "--watch"]).watch)
        #expect(try Self.run(["-w=true"]).watch)
    }

    @Test("enable/disable pairs and a custom name that starts with no-")
    func otherInversions() throws {
        #expect(try Self.run(["--enable-cache=false"]).cache == false)
        #expect(try Self.run(["--disable-cache=false"]).cache)
        #expect(try Self.run(["--no-cluster=true"]).noCluster)
        #expect(try Self.run(["--no-cluster", "--no-cluster=false"]).noCluster == false)
    }

    @Test("a value that is not a boolean is refused naming the flag and the accepted values")
    func refusesOtherValues() throws {
        for argument in ["--leader-elect=maybe", "--leader-elect=", "--leader-elect=yes", "--leader-elect=tRUE"] {
            let error = try #require(throws: ValidationError.self) { try Tool.parseAsRoot(kubernetesStyle: [argument]) }
            let message = Tool.fullMessage(for: error)
            #expect(message.contains("--leader-elect takes no value, or one of 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False"), "\(message)")
            #expect(message.contains("not '\(argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[1])'"), "\(message)")
            #expect(Tool.exitCode(for: error) == .validationFailure)
        }
    }

    @Test("only boolean flags of the selected command change; options, counters and arguments after -- do not")
    func leavesTheRestAlone() throws {
        let flags = KubernetesBooleanFlags(of: Tool.self)
        #expect(try flags.rewrite(["--label=false", "--leader-elect=false"]) == ["--label=false", "--no-leader-elect"])
        #expect(try flags.rewrite(["--", "--leader-elect=false"]) == ["--", "--leader-elect=false"])
        #expect(try Self.run(["--", "--leader-elect=false"]).rest == ["--leader-elect=false"])
        #expect(try flags.rewrite(["--verbose=true"]) == ["--verbose=true"], "a counter takes no boolean")
        let show = try #require(try Tool.parseAsRoot(kubernetesStyle: ["show", "--watch=false"]) as? Show)
        #expect(show.watch == "false", "--watch is an option of show, not the flag of run")
    }

    @Test("the flags come from the command's declaration, subcommands and default subcommand included")
    func derivedFromTheDeclaration() {
        let flags = KubernetesBooleanFlags(of: Tool.self)
        let run: Set = [
            "--leader-elect", "--no-leader-elect", "--watch", "-w", "--enable-cache", "--disable-cache", "--no-cluster",
        ]
        #expect(flags.spellings(for: []).isSuperset(of: run))
        #expect(flags.spellings(for: ["run"]).isSuperset(of: run))
        #expect(flags.spellings(for: ["show"]).isDisjoint(with: run))
        #expect(!flags.spellings(for: []).contains("--verbose"))
    }
}
