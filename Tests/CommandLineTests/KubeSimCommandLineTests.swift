import ArgumentParser
import CommandLineSupport
import Testing

@testable import KubeSimMain

@Suite("kubesim command line")
struct KubeSimCommandLineTests {
    static func serve(_ arguments: [String]) throws -> ServeCommand {
        try #require(try KubeSimCommand.parseAsRoot(kubernetesStyle: arguments) as? ServeCommand)
    }

    @Test("serve's boolean flags take =true and =false, with or without the subcommand's name")
    func serveFlags() throws {
        #expect(try Self.serve(["--tls=true"]).tls)
        #expect(try Self.serve(["serve", "--tls=false"]).tls == false)
        #expect(try Self.serve(["serve", "--tls", "--tls=false"]).tls == false)
        #expect(try Self.serve(["--no-cluster=true"]).noCluster)
        #expect(try Self.serve(["--no-cluster=0"]).noCluster == false)
        #expect(try Self.serve(["--port=0", "--tls=T"]).tls)
    }

    @Test("a value that is not a boolean is refused naming the flag")
    func refusesOtherValues() throws {
        let error = try #require(throws: (any Error).self) { try KubeSimCommand.parseAsRoot(kubernetesStyle: ["--tls=on"]) }
        #expect(KubeSimCommand.fullMessage(for: error).contains("--tls takes no value, or one of"))
    }

    @Test("--help prints every default as a user would type it")
    func helpDefaults() throws {
        let defaults = try HelpText.defaults(of: KubeSimCommand.self)
        #expect(defaults["--host"] == "127.0.0.1")
        #expect(defaults["--log-level"] == "info")
        for (flag, value) in defaults { #expect(HelpText.isTyped(value), "\(flag) default printed as a value, not as typed: \(value)") }
    }
}
