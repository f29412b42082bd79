import Foundation
import Testing

/// What the API server refuses at admission, from the CRD's schema and CEL rules. Only a real
/// API server evaluates CEL (kubesim does not yet), and only a real one estimates its cost: the
/// CRD must be accepted there at all (it once was not: "estimated rule cost exceeds budget").
@Suite("AppRelease end to end: admission on a real API server", .serialized, .timeLimit(.minutes(15)), .enabled(if: E2ELane.isReal))
struct AdmissionTests {
    /// A manifest with `edit` applied to its YAML, sent as a server-side dry run.
    func dryRun(_ cluster: Cluster, _ yaml: String) async throws -> CommandResult {
        try await cluster.kubectl("apply", "--dry-run=server", "-f", "-", input: yaml)
    }

    var base: String { AppReleaseManifest(name: "adm").yaml.components(separatedBy: "---\n")[0] }

    struct Refusal: Sendable {
        var name: String
        var edit: @Sendable (String) -> String
        var message: String
        init(_ name: String, _ edit: @escaping @Sendable (String) -> String, _ message: String) {
            self.name = name
            self.edit = edit
            self.message = message
        }
    }

    static let refusals: [Refusal] = [
        Refusal(
            "selector that the template's labels do not satisfy",
            { $0.replacingOccurrences(of: "matchLabels: {app: adm}", with: "matchLabels: {app: other}") },
            "spec.selector.matchLabels must match spec.template.metadata.labels"
        ),
        Refusal(
            "container naming none of the template's",
            { $0.replacingOccurrences(of: "  replicas: 3\n", with: "  replicas: 3\n  container: sidecar\n") },
            "spec.container must name a container of spec.template.spec.containers"
        ),
        Refusal(
            "progress deadline not above minReadySeconds",
            { $0.replacingOccurrences(of: "  progressDeadlineSeconds: 60\n", with: "  progressDeadlineSeconds: 60\n  minReadySeconds: 60\n") },
            "spec.progressDeadlineSeconds must be greater than spec.minReadySeconds"
        ),
        Refusal(
            "no selector and no template labels",
            {
                $0.replacingOccurrences(of: "  selector:\n    matchLabels: {app: adm}\n", with: "")
                    .replacingOccurrences(of: "    metadata:\n      labels: {app: adm}\n", with: "")
            },
            "spec.template.metadata.labels is required when spec.selector is not set"
        ),
        Refusal(
            "maxSurge and maxUnavailable both 0",
            { $0.replacingOccurrences(of: "rolling: {maxSurge: 1, maxUnavailable: 0}", with: "rolling: {maxSurge: 0, maxUnavailable: 0}") },
            "maxSurge and maxUnavailable may not both be 0"
        ),
        Refusal(
            "a percentage above 100%",
            { $0.replacingOccurrences(of: "rolling: {maxSurge: 1,", with: "rolling: {maxSurge: \"150%\",") },
            "must be a non-negative integer or a percentage between 0% and 100%"
        ),
        Refusal(
            "BlueGreen without its section",
            { $0.replacingOccurrences(of: "    type: Rolling\n    rolling: {maxSurge: 1, maxUnavailable: 0}\n", with: "    type: BlueGreen\n") },
            "spec.strategy.blueGreen is required when spec.strategy.type is BlueGreen"
        ),
        Refusal(
            "a canary step with both setWeight and pause",
            {
                $0.replacingOccurrences(
                    of: "    type: Rolling\n    rolling: {maxSurge: 1, maxUnavailable: 0}\n",
                    with: "    type: Canary\n    canary:\n      steps: [{setWeight: 10, pause: {}}]\n")
            },
            "a step sets exactly one of setWeight or pause"
        ),
        Refusal(
            "an HTTPRoute without the two Services whose weights it splits",
            {
                $0.replacingOccurrences(
                    of: "    type: Rolling\n    rolling: {maxSurge: 1, maxUnavailable: 0}\n",
                    with: "    type: Canary\n    canary:\n      stableService: web\n      trafficRouting: {httpRoute: {name: web}}\n")
            },
            "trafficRouting.httpRoute needs stableService and canaryService"
        ),
        Refusal(
            "the same Service as stable and canary",
            {
                $0.replacingOccurrences(
                    of: "    type: Rolling\n    rolling: {maxSurge: 1, maxUnavailable: 0}\n",
                    with: "    type: Canary\n    canary:\n      stableService: web\n      canaryService: web\n")
            },
            "canaryService must differ from stableService"
        ),
        Refusal(
            "a Service name that is not a DNS label",
            {
                $0.replacingOccurrences(
                    of: "    type: Rolling\n    rolling: {maxSurge: 1, maxUnavailable: 0}\n",
                    with: "    type: BlueGreen\n    blueGreen: {activeService: Web_Active}\n")
            },
            "spec.strategy.blueGreen.activeService"
        ),
        Refusal(
            "a tag instead of a digest",
            { $0.replacingOccurrences(of: Images.v1, with: "registry.example/web:latest") },
            "spec.image"
        ),
        Refusal(
            "more template labels than the schema bounds",
            {
                let labels = (0..<129).map { "l\($0): v" }.joined(separator: ", ")
                return $0.replacingOccurrences(of: "      labels: {app: adm}", with: "      labels: {app: adm, \(labels)}")
            },
            "must have at most 128 items"
        ),
    ]

    @Test("kubectl apply -f crds/ is accepted, and a valid AppRelease passes admission")
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

    @Test("the schema and CEL rules refuse each invalid spec with a message naming the rule", arguments: 0..<refusals.count)
    func refused(_ index: Int) async throws {
        let refusal = Self.refusals[index]
        try await Cluster.with { cluster in
            let result = try await dryRun(cluster, refusal.edit(base))
            #expect(!result.succeeded, "\(refusal.name): accepted\n\(result)")
            #expect(result.output.contains(refusal.message), "\(refusal.name): \(result.output)")
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
