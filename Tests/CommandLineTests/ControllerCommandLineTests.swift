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
}
