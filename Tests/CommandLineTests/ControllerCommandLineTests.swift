import ArgumentParser
import CommandLineSupport
import Testing

@testable import AppReleaseControllerMain

@Suite("apprelease-controller command line")
struct ControllerCommandLineTests {
    @Test("--leader-elect takes the forms charts from the controller-runtime world pass")
    func leaderElect() throws {
        #expect(try ControllerCommand.parse(kubernetesStyle: ["--leader-elect=false"]).leaderElect == false)
        #expect(try ControllerCommand.parse(kubernetesStyle: ["--leader-elect=true"]).leaderElect)
        #expect(try ControllerCommand.parse(kubernetesStyle: ["--leader-elect"]).leaderElect)
        #expect(try ControllerCommand.parse(kubernetesStyle: ["--leader-elect", "--no-leader-elect"]).leaderElect == false)
        #expect(try ControllerCommand.parse(kubernetesStyle: ["--leader-elect=True", "--workers=2"]).workers == 2)
    }

    @Test("--leader-elect=maybe is refused naming the flag and what it takes")
    func refusesMaybe() throws {
        let error = try #require(throws: (any Error).self) { try ControllerCommand.parse(kubernetesStyle: ["--leader-elect=maybe"]) }
        let message = ControllerCommand.fullMessage(for: error)
        #expect(message.contains("--leader-elect takes no value, or one of"), "\(message)")
        #expect(message.contains("true") && message.contains("False") && message.contains("'maybe'"), "\(message)")
    }

    @Test("--help prints every default as a user would type it")
    func helpDefaults() throws {
        let defaults = try HelpText.defaults(of: ControllerCommand.self)
        #expect(defaults["--log-level"] == "info")
        #expect(defaults["--log-format"] == "text")
        #expect(defaults["--metrics-bind-address"] == ":8080")
        #expect(defaults["--qps"] == "50")
        #expect(defaults["--leader-election-lease-duration"] == "15")
        for (flag, value) in defaults { #expect(HelpText.isTyped(value), "\(flag) default printed as a value, not as typed: \(value)") }
        let help = ControllerCommand.helpMessage(columns: 400)
        #expect(help.contains("(default: info)") && help.contains("(default: 50)"), "\(help)")
        #expect(!help.contains("LogLevelOption") && !help.contains("RequestRate"))
    }
}
