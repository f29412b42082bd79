import KubeClient
import Testing

@testable import AppReleasePlugin

@Suite("Plugin errors")
struct PluginErrorTests {
    @Test func aMissingAppReleaseIsNamedAsKubectlNamesIt() {
        #expect(
            PluginError.notFound(name: "web", namespace: "shop").description
                == #"Error from server (NotFound): appreleases.apprelease.dev "web" not found in namespace "shop""#)
    }

    static func mapped(_ status: APIStatus, name: String? = "web") -> PluginError? {
        PluginError.from(KubernetesError.api(status), name: name, namespace: "shop")
    }

    @Test func serverAnswersReadAsKubectlPrintsThem() {
        let missing = Self.mapped(APIStatus(code: 404, reason: "NotFound", message: #"appreleases.apprelease.dev "web" not found"#, details: .init(name: "web")))
        #expect(missing?.description == #"Error from server (NotFound): appreleases.apprelease.dev "web" not found in namespace "shop""#)
        #expect(missing?.exitCode == .clusterError)

        let noCRD = Self.mapped(APIStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource"))
        #expect(noCRD?.description.hasPrefix(#"error: the server doesn't have a resource type "appreleases""#) == true)

        let forbidden = Self.mapped(APIStatus(
            code: 403, reason: "Forbidden",
            message: #"appreleases.apprelease.dev "web" is forbidden: User "dev" cannot patch resource "appreleases""#))
        #expect(forbidden?.description == #"Error from server (Forbidden): appreleases.apprelease.dev "web" is forbidden: User "dev" cannot patch resource "appreleases""#)
        #expect(forbidden?.exitCode == .clusterError)

        let invalid = Self.mapped(APIStatus(
            code: 422, reason: "Invalid", message: "…",
            details: .init(name: "web", causes: [.init(reason: "FieldValueInvalid", message: "Invalid value: \"web:1\"", field: "spec.image")])))
        #expect(invalid?.description == #"The AppRelease "web" is invalid: spec.image: Invalid value: "web:1""#)

        #expect(Self.mapped(APIStatus(code: 401, reason: "Unauthorized"))?.description == "error: You must be logged in to the server (Unauthorized)")
        let unreachable = PluginError.from(KubernetesError.transport("connection refused"), name: nil, namespace: nil)
        #expect(unreachable.description == "Unable to connect to the server: connection refused")
        #expect(unreachable.exitCode == .clusterError)
    }

    @Test func everyErrorHasOnePrefixAndItsDocumentedExitCode() {
        let cases: [(PluginError, Int32)] = [
            (.requestNotApplied("x"), 1), (.releaseFailed("x"), 1), (.timedOut("x"), 2), (.configuration("x"), 3), (.invalidArgument("x"), 64),
        ]
        for (error, code) in cases {
            #expect(error.exitCode.rawValue == code, "\(error)")
            #expect(error.description == "error: x")
        }
    }

    @Test func theEntryPointReturnsTheDocumentedExitCodes() async {
        #expect(await PluginCommand.execute(["promote"]) == 64)
        #expect(await PluginCommand.execute(["set-image", "web", "web:latest"]) == 64)
        #expect(await PluginCommand.execute(["list", "--kubeconfig", "/nonexistent/kubeconfig"]) == 3)
        #expect(await PluginCommand.execute(["history", "--help"]) == 0)
    }
}
