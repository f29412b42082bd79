import Foundation
import Testing

/// The Kubernetes manifests in `examples/`, applied with the real kubectl as a user applies them,
/// and doing what their header comments say. The directory is listed, not named file by file,
/// so an example added later is applied and checked here without touching this file.
@Suite("The examples", .serialized, .timeLimit(.minutes(15)))
struct ExamplesTests {
    @Test("every examples/*.yaml applies with kubectl, every object in it is stored, and applying it again changes nothing")
    func everyExampleApplies() async throws {
        let files = try Examples.files()
        try #require(!files.isEmpty, "no YAML files in examples/")
        try await Cluster.with { cluster in
            try await cluster.installGatewayAPI()
            for file in files {
                let applied = try await cluster.applyExample(file)
                let stored = try await cluster.kubectlOK("get", "-f", file, "-o", "name")
                #expect(Set(Examples.names(in: stored)) == Set(applied), "\(file): applied \(applied), stored \(stored)")
            }
            // What a GitOps tool does on every sync: the same files again, which must change no
            // spec (the generation stays). kubectl's own word is not enough: it says "configured"
            // whenever it sends a patch, and it always sends one for a PDB (spec.selector's patch
            // strategy is "replace") and for custom resources whose lists the server defaulted
            // (an HTTPRoute's backendRefs), on a real cluster as well.
            for file in files {
                let before = try await cluster.generations(in: file)
                let again = try await cluster.kubectlOK("apply", "-f", file)
                let lines = again.split(separator: "\n").filter { !$0.hasPrefix("Warning:") }
                #expect(
                    !lines.isEmpty && lines.allSatisfy { $0.hasSuffix(" unchanged") || $0.hasSuffix(" configured") },
                    "\(file), applied again:\n\(again)")
                #expect(try await cluster.generations(in: file) == before, "\(file), applied again:\n\(again)")
            }
        }
    }

    @Test("hpa.yaml: the HPA targets the AppRelease's scale subresource, and re-applying the file keeps the replicas the HPA chose")
    func hpaScalesTheAppRelease() async throws {
        try await Cluster.with { cluster in
            let file = Examples.path("hpa.yaml")
            try await cluster.applyExample(file)
            #expect(try await cluster.field("hpa/catalog", ".spec.scaleTargetRef.apiVersion") == "apprelease.dev/v1alpha1")
            #expect(try await cluster.field("hpa/catalog", ".spec.scaleTargetRef.kind") == "AppRelease")
            #expect(try await cluster.field("hpa/catalog", ".spec.scaleTargetRef.name") == "catalog")
            #expect(try await cluster.field("pdb/catalog", ".spec.selector.matchLabels.app") == "catalog")

            // The HPA reads the pods to measure from the scale subresource's selector, which is
            // status.selector as the operator writes it.
            let scalePath = "/apis/apprelease.dev/v1alpha1/namespaces/\(cluster.namespace)/appreleases/catalog/scale"
            try await waitUntil("the scale subresource of catalog to carry the pods' selector") {
                let scale = try await cluster.kubectlOK("get", "--raw", scalePath)
                return scale.contains(#""selector":"app=catalog""#)
            }
            // The file leaves spec.replicas to the HPA: the CRD's default until it acts. kubesim
            // has no autoscaler; a real cluster's raises it to minReplicas, metrics or not.
            let initial = try await cluster.field("appreleases/catalog", ".spec.replicas")
            #expect(cluster.lane.isReal ? ["1", "2"].contains(initial) : initial == "1", "spec.replicas: \(initial)")

            // The HPA's write, made by hand through the same subresource.
            try await cluster.kubectlOK("scale", "appreleases/catalog", "--replicas=3")
            #expect(try await cluster.field("appreleases/catalog", ".spec.replicas") == "3")
            try await cluster.kubectlOK("apply", "-f", file)
            #expect(
                try await cluster.field("appreleases/catalog", ".spec.replicas") == "3",
                "applying hpa.yaml again must not undo the HPA's choice")
        }
    }

    @Test(
        "each strategy example becomes Ready as its header says; the failing example, patched as its comment says, is reverted",
        .enabled(if: E2ELane.isKubesim, "the examples' pods need a kubelet that plays registry.example images: kubesim's"))
    func examplesDoWhatTheySay() async throws {
        try await Cluster.with { cluster in
            try await cluster.installGatewayAPI()
            var appReleases: [String] = []
            for file in try Examples.files() {
                appReleases += try await cluster.applyExample(file).compactMap(Examples.appReleaseName)
            }
            for name in ["web", "shop", "api", "orders", "catalog"] {
                #expect(appReleases.contains(name), "the AppRelease \(name) is in no example (the demo and this test use it)")
            }
            // Every AppRelease of every example, a future one included, must come up.
            for name in appReleases {
                let verdict = try await cluster.apprelease("status", name, "--wait", "--timeout", "2m")
                #expect(verdict.succeeded, "\(name) never became Ready:\n\(verdict)")
            }

            // Rolling: web serves from 3 pods.
            #expect(try await cluster.field("appreleases/web", ".spec.strategy.type") == "Rolling")
            try await waitUntil("3 ready endpoints behind Service web") { try await cluster.readyEndpoints(of: "web") == 3 }

            // BlueGreen: the active Service is pinned to the released revision.
            #expect(try await cluster.field("appreleases/shop", ".spec.strategy.type") == "BlueGreen")
            let shop = try await cluster.field("appreleases/shop", ".status.stableRevision")
            #expect(!shop.isEmpty)
            try await waitUntil("Service shop pinned to revision \(shop) with 3 ready endpoints") {
                let pinned = try await cluster.pinnedRevision(of: "shop")
                let endpoints = try await cluster.readyEndpoints(of: "shop")
                return pinned == shop && endpoints == 3
            }

            // Canary on the HTTPRoute: the stable Service pinned, all traffic on it.
            #expect(try await cluster.field("appreleases/api", ".spec.strategy.type") == "Canary")
            let api = try await cluster.field("appreleases/api", ".status.stableRevision")
            #expect(try await cluster.pinnedRevision(of: "api-stable") == api)
            #expect(try await cluster.routeWeights("api") == "100 0")

            try await checkFailingRelease(cluster)
        }
    }

    /// failing-release.yaml: its comment names a digest whose pods crash-loop; released, it must
    /// end as the comment says (exit 1 from `status --wait`, Degraded=True with reason CrashLoop),
    /// with the stable revision still serving all three pods.
    private func checkFailingRelease(_ cluster: Cluster) async throws {
        let comment = try Examples.headerComment(of: Examples.path("failing-release.yaml"))
        let crashing = Set(comment.matches(of: /[A-Za-z0-9._\/-]*crash[A-Za-z0-9._\/-]*@sha256:[0-9a-f]{64}/).map { String($0.output) })
        try #require(crashing.count == 1, "failing-release.yaml's comment names \(crashing.count) crashing images: \(crashing)")
        let image = try #require(crashing.first)
        #expect(comment.contains("kubectl apprelease set-image orders \(image)"), "the comment's command releases \(image)")

        let stable = try await cluster.field("appreleases/orders", ".status.stableRevision")
        try await cluster.appreleaseOK("set-image", "orders", image)
        let verdict = try await cluster.apprelease("status", "orders", "--wait", "--timeout", "3m")
        #expect(verdict.exit.status == 1 && !verdict.exit.signalled, "status --wait on a reverted release exits 1:\n\(verdict)")

        #expect(try await cluster.condition("Degraded", of: "orders") == "True")
        #expect(try await cluster.conditionReason("Degraded", of: "orders") == "CrashLoop")
        #expect(try await cluster.field("appreleases/orders", ".status.phase") == "RolledBack")
        #expect(try await cluster.field("appreleases/orders", ".status.stableRevision") == stable)
        #expect(try await cluster.field("appreleases/orders", ".status.currentImage") == image)
        try await waitUntil("the stable revision serving 3 pods and the crashing one at 0") {
            let sets = try await cluster.replicaSets(of: "orders")
            let good = sets.first { $0.name == "orders-\(stable)" }
            let others = sets.filter { $0.name != "orders-\(stable)" }
            let endpoints = try await cluster.readyEndpoints(of: "orders")
            return good?.replicas == 3 && good?.ready == 3 && others.allSatisfy { $0.replicas == 0 } && endpoints == 3
        }
    }
}

/// The files under test and what can be read from them without a YAML library.
enum Examples {
    static let directory = Binaries.repositoryRoot + "/examples"

    static func path(_ name: String) -> String { directory + "/" + name }

    /// `examples/*.yaml` and `*.yml`. Not `examples/ci/`: CI recipes, which `make lint-examples`
    /// validates.
    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
            .map(path)
    }

    /// Objects in a manifest: YAML documents with a top-level `kind`.
    static func objectCount(in file: String) throws -> Int {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var count = 0
        var documentHasKind = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("---") {
                if documentHasKind { count += 1 }
                documentHasKind = false
            } else if line.hasPrefix("kind:") {
                documentHasKind = true
            }
        }
        return count + (documentHasKind ? 1 : 0)
    }

    /// The comment lines a manifest starts with, without their `#`.
    static func headerComment(of file: String) throws -> String {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("#") }
            .map { $0.dropFirst() }
            .joined(separator: "\n")
    }

    /// `kind.group/name` lines of `kubectl … -o name`, skipping anything else kubectl printed.
    static func names(in output: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.wholeMatch(of: /[a-z0-9.]+\/[a-z0-9.-]+/) != nil }
    }

    static func appReleaseName(_ name: String) -> String? {
        let prefix = "apprelease.apprelease.dev/"
        return name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : nil
    }
}

extension Cluster {
    /// `kind name generation` of every object of a manifest (`<none>` for kinds without one).
    func generations(in file: String) async throws -> [String] {
        try await kubectlOK(
            "get", "-f", file, "--no-headers", "-o", "custom-columns=KIND:.kind,NAME:.metadata.name,GENERATION:.metadata.generation"
        ).split(separator: "\n").map(String.init)
    }

    /// `kubectl apply -f file`; throws unless kubectl applied every object the file holds.
    /// Returns what was applied, as `kubectl … -o name` prints it.
    @discardableResult
    func applyExample(_ file: String) async throws -> [String] {
        let result = try await kubectl("apply", "-f", file, "-o", "name")
        guard result.succeeded else { throw E2EError("\(file) was not applied:\n\(result)") }
        let applied = Examples.names(in: result.output)
        let expected = try Examples.objectCount(in: file)
        guard applied.count == expected else {
            throw E2EError("\(file) holds \(expected) objects, kubectl applied \(applied.count):\n\(result)")
        }
        return applied
    }
}
