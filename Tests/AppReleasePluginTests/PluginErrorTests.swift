import Testing

@testable import AppReleasePlugin

@Suite("Plugin errors")
struct PluginErrorTests {
    @Test func aMissingAppReleaseIsNamedAsKubectlNamesIt() {
        #expect(
            PluginError.notFound(name: "web", namespace: "shop").description
                == #"Error from server (NotFound): appreleases.apprelease.dev "web" not found in namespace "shop""#)
    }
}
