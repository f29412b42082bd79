import Foundation
import TestSupport
import Testing

/// The CRD at admission. Only a real API server estimates CEL cost, so the CRD must be accepted
/// there at all (it once was not: "estimated rule cost exceeds budget"); the transition rule runs
/// on both lanes (kubesim evaluates the CRD's CEL rules too). What admission refuses is in
/// BadInputCatalogueTests.
@Suite("AppRelease end to end: admission", .serialized, .timeLimit(.minutes(15)))
struct AdmissionTests {
    /// A manifest sent as a server-side dry run.
    func dryRun(_ cluster: Cluster, _ yaml: String) async throws -> CommandResult {
        try await cluster.kubectl("apply", "--dry-run=server", "-f", "-", input: yaml)
    }

    var base: String { AppReleaseManifest(name: "adm").yaml.components(separatedBy: "---\n")[0] }

    @Test("kubectl apply -f crds/ is accepted, and a valid AppRelease passes admission", .enabled(if: E2ELane.isReal))
    func crdAccepted() async throws {
        try await Cluster.with { cluster in
            let established = try await cluster.kubectlOK(
                "get", "crd", "appreleases.apprelease.dev", "-o", #"jsonpath={.status.conditions[?(@.type=="Established")].status}"#)
            #expect(established == "True")
            let valid = try await dryRun(cluster, base)
            #expect(valid.succeeded, "\(valid)")
            let explained = try await cluster.kubectlOK("explain", "appreleases.spec.template.spec.containers")
            #expect(explained.contains("1 to 64"), "kubectl explain describes the bounded field: \(explained)")
        }
    }

    @Test("spec.selector is immutable")
    func selectorImmutable() async throws {
        try await Cluster.with { cluster in
            try await cluster.kubectlOK("apply", "-f", "-", input: base)
            let changed = base.replacingOccurrences(of: "matchLabels: {app: adm}", with: "matchLabels: {app: adm, tier: web}")
                .replacingOccurrences(of: "labels: {app: adm}", with: "labels: {app: adm, tier: web}")
            let result = try await cluster.kubectl("apply", "-f", "-", input: changed)
            #expect(!result.succeeded && result.output.contains("spec.selector is immutable"), "\(result)")
        }
    }
}
