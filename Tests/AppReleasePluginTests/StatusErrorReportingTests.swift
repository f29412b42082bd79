import ArgumentParser
import KubeClient
import Testing

@testable import AppReleasePlugin

@Suite("get and status: errors as kubectl reports them")
struct StatusErrorReportingTests {
    @Test func messagesAndExitCodes() {
        let cases: [(any Error, String, Int32)] = [
            (PluginError.notFound(name: "web", namespace: "shop"), #"Error from server (NotFound): appreleases.apprelease.dev "web" not found in namespace "shop""#, 3),
            (KubernetesError.api(APIStatus(code: 403, reason: "Forbidden", message: "appreleases is forbidden: User \"ci\" cannot watch")), #"Error from server (Forbidden): appreleases is forbidden: User "ci" cannot watch"#, 3),
            (KubernetesError.transport("connection refused"), "Unable to connect to the server: connection refused", 3),
            (PluginError.configuration("no context named \"prod\""), #"error: no context named "prod""#, 3),
            (PluginError.invalidArgument("bad"), "error: bad", 64),
        ]
        for (error, message, code) in cases {
            let (described, exit) = ErrorReporting.describe(error)
            #expect(described == message)
            #expect(exit.rawValue == code)
        }
    }

    @Test func theErrorGoesToStderrAndBecomesTheExitCode() async {
        let written = LockedValue("")
        let console = Console(out: { _ in }, err: { text in written.update { $0 += text } }, isTerminal: false)
        await #expect(throws: ExitCode(3)) {
            try await ErrorReporting.run(console: console) { throw KubernetesError.transport("connection refused") }
        }
        #expect(written.value == "Unable to connect to the server: connection refused\n")
    }
}
