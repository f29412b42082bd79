import Foundation
import Testing

/// The bad-input catalogue (listed in crds/API.md): malformed and hostile AppReleases, each with
/// the layer that refuses it and the words it says. Every entry runs on both lanes:
/// - `apiServer`: the API server's own limits (request size, metadata), for any resource;
/// - `schema`: the API server's OpenAPI validation refuses it at admission (kubesim as well);
/// - `cel`: the CRD's CEL rules refuse it at admission, on a real API server and on kubesim
///   (which evaluates the CEL subset the CRD uses), with the same words. The controller checks
///   the same rules again (RolloutEngineTests' "admission bypassed" cases), for a spec that got
///   past an older CRD;
/// - `controller`: admission accepts it; the controller reports it (`InvalidSpec` or `Stalled`)
///   and creates nothing.
@Suite("Bad input: what refuses each malformed AppRelease, and what it says", .serialized, .timeLimit(.minutes(20)))
struct BadInputCatalogueTests {
    enum Layer: String, Sendable { case apiServer = "API server", schema, cel, controller }

    struct Entry: Sendable, CustomStringConvertible {
        var name: String
        var layer: Layer
        var edit: @Sendable (String) -> String
        /// What `kubectl apply` prints when admission refuses it.
        var refusal: String?
        /// The condition the controller sets (`InvalidSpec` or `Stalled`), its reason, and words of
        /// its message.
        var condition = "InvalidSpec"
        var reason = "InvalidSpec"
        var report: String?
        /// The HTTPRoute CRD is installed first (on kubesim; a real cluster in the lane has it).
        var gatewayAPI = false
        var description: String { "\(layer.rawValue): \(name)" }
    }

    static let rolling = "    type: Rolling\n    rolling: {maxSurge: 1, maxUnavailable: 0}\n"
    static func strategy(_ yaml: String) -> @Sendable (String) -> String {
        { $0.replacingOccurrences(of: rolling, with: yaml) }
    }
    static func replacing(_ old: String, _ new: String) -> @Sendable (String) -> String {
        { $0.replacingOccurrences(of: old, with: new) }
    }

    static func annotation(bytes: Int) -> @Sendable (String) -> String {
        replacing("  name: bad\n", "  name: bad\n  annotations: {note: \(String(repeating: "x", count: bytes))}\n")
    }

    static let entries: [Entry] = [
        // The API server's limits.
        Entry(name: "a 300 KiB annotation", layer: .apiServer, edit: annotation(bytes: 300 * 1024),
              refusal: "metadata.annotations: Too long: may not be more than 262144 bytes"),
        Entry(name: "a 10 MiB annotation", layer: .apiServer, edit: annotation(bytes: 10 * 1024 * 1024),
              refusal: "Request entity too large: limit is 3145728"),

        // Schema: refused at admission everywhere.
        Entry(name: "a tag instead of a digest", layer: .schema, edit: replacing(Images.v1, "registry.example/web:latest"),
              refusal: "spec.image in body should match"),
        Entry(name: "a digest of the wrong length", layer: .schema, edit: replacing(Images.v1, "registry.example/web@sha256:0123abcd"),
              refusal: "spec.image in body should match"),
        Entry(name: "a digest in capitals", layer: .schema, edit: replacing(Images.v1, Images.v1.uppercased()),
              refusal: "spec.image in body should match"),
        Entry(name: "no image", layer: .schema, edit: replacing("  image: \(Images.v1)\n", ""),
              refusal: "spec.image: Required value"),
        Entry(name: "negative replicas", layer: .schema, edit: replacing("  replicas: 3\n", "  replicas: -1\n"),
              refusal: "spec.replicas in body should be greater than or equal to 0"),
        Entry(name: "replicas as a word", layer: .schema, edit: replacing("  replicas: 3\n", "  replicas: three\n"),
              refusal: "spec.replicas in body must be of type integer"),
        Entry(name: "an empty container list", layer: .schema,
              edit: replacing("      containers:\n      - name: app\n        ports: [{containerPort: 8080}]\n", "      containers: []\n"),
              refusal: "spec.template.spec.containers in body should have at least 1 items"),
        Entry(name: "a negative revisionHistoryLimit", layer: .schema, edit: replacing("  revisionHistoryLimit: 10\n", "  revisionHistoryLimit: -1\n"),
              refusal: "spec.revisionHistoryLimit in body should be greater than or equal to 0"),
        Entry(name: "a progress deadline of 0", layer: .schema, edit: replacing("  progressDeadlineSeconds: 60\n", "  progressDeadlineSeconds: 0\n"),
              refusal: "spec.progressDeadlineSeconds in body should be greater than or equal to 1"),
        Entry(name: "a negative maxRestarts", layer: .schema, edit: replacing("maxRestarts: 1,", "maxRestarts: -1,"),
              refusal: "spec.failFast.maxRestarts in body should be greater than or equal to 0"),
        Entry(name: "an unknown strategy type", layer: .schema, edit: strategy("    type: Recreate\n"),
              refusal: "spec.strategy.type: Unsupported value: \"Recreate\""),
        Entry(name: "a canary weight over 100", layer: .schema,
              edit: strategy("    type: Canary\n    canary:\n      steps: [{setWeight: 150}]\n"),
              refusal: "spec.strategy.canary.steps[0].setWeight in body should be less than or equal to 100"),
        Entry(name: "a Service name that is not a DNS label", layer: .schema,
              edit: strategy("    type: BlueGreen\n    blueGreen: {activeService: Web_Active}\n"),
              refusal: "spec.strategy.blueGreen.activeService in body should match"),
        Entry(name: "more template labels than the schema bounds", layer: .schema,
              edit: { yaml in
                  let labels = (0..<129).map { "l\($0): v" }.joined(separator: ", ")
                  return yaml.replacingOccurrences(of: "      labels: {app: bad}", with: "      labels: {app: bad, \(labels)}")
              },
              refusal: "must have at most 128 items"),
        Entry(name: "a selector operator that does not exist", layer: .schema,
              edit: replacing("    matchLabels: {app: bad}\n", "    matchLabels: {app: bad}\n    matchExpressions: [{key: tier, operator: Near}]\n"),
              refusal: "Unsupported value: \"Near\""),

        // CEL: refused at admission, on kubesim as on a real API server.
        Entry(name: "a selector the template's labels do not satisfy", layer: .cel,
              edit: replacing("matchLabels: {app: bad}", "matchLabels: {app: other}"),
              refusal: "spec.selector.matchLabels must match spec.template.metadata.labels"),
        Entry(name: "a container naming none of the template's", layer: .cel,
              edit: replacing("  replicas: 3\n", "  replicas: 3\n  container: sidecar\n"),
              refusal: "spec.container must name a container of spec.template.spec.containers"),
        Entry(name: "a progress deadline not above minReadySeconds", layer: .cel,
              edit: replacing("  progressDeadlineSeconds: 60\n", "  progressDeadlineSeconds: 60\n  minReadySeconds: 60\n"),
              refusal: "spec.progressDeadlineSeconds must be greater than spec.minReadySeconds"),
        Entry(name: "no selector and no template labels", layer: .cel,
              edit: { yaml in
                  yaml.replacingOccurrences(of: "  selector:\n    matchLabels: {app: bad}\n", with: "")
                      .replacingOccurrences(of: "    metadata:\n      labels: {app: bad}\n", with: "")
              },
              refusal: "spec.template.metadata.labels is required when spec.selector is not set"),
        Entry(name: "maxSurge and maxUnavailable both 0", layer: .cel,
              edit: strategy("    type: Rolling\n    rolling: {maxSurge: 0, maxUnavailable: 0}\n"),
              refusal: "maxSurge and maxUnavailable may not both be 0"),
        Entry(name: "a percentage above 100%", layer: .cel,
              edit: strategy("    type: Rolling\n    rolling: {maxSurge: \"150%\", maxUnavailable: 0}\n"),
              refusal: "must be a non-negative integer or a percentage between 0% and 100%"),
        Entry(name: "BlueGreen without its section", layer: .cel, edit: strategy("    type: BlueGreen\n"),
              refusal: "spec.strategy.blueGreen is required when spec.strategy.type is BlueGreen"),
        Entry(name: "Canary without its section", layer: .cel, edit: strategy("    type: Canary\n"),
              refusal: "spec.strategy.canary is required when spec.strategy.type is Canary"),
        Entry(name: "a canary step with both setWeight and pause", layer: .cel,
              edit: strategy("    type: Canary\n    canary:\n      steps: [{setWeight: 10, pause: {}}]\n"),
              refusal: "a step sets exactly one of setWeight or pause"),
        Entry(name: "an HTTPRoute without the two Services whose weights it splits", layer: .cel,
              edit: strategy("    type: Canary\n    canary:\n      stableService: bad\n      trafficRouting: {httpRoute: {name: bad}}\n"),
              refusal: "trafficRouting.httpRoute needs stableService and canaryService"),
        Entry(name: "the same Service as stable and canary", layer: .cel,
              edit: strategy("    type: Canary\n    canary:\n      stableService: bad\n      canaryService: bad\n"),
              refusal: "canaryService must differ from stableService"),
        Entry(name: "the same Service as active and preview", layer: .cel,
              edit: strategy("    type: BlueGreen\n    blueGreen: {activeService: bad, previewService: bad}\n"),
              refusal: "previewService must differ from activeService"),

        // The controller: admitted, then reported, and nothing is created.
        Entry(name: "an active Service that does not exist", layer: .controller,
              edit: strategy("    type: BlueGreen\n    blueGreen: {activeService: missing}\n"),
              condition: "Stalled", reason: "ServiceNotFound", report: "missing"),
        Entry(name: "an HTTPRoute that does not exist", layer: .controller,
              edit: { yaml in
                  strategy("    type: Canary\n    canary:\n      stableService: bad\n      canaryService: bad-canary\n      trafficRouting: {httpRoute: {name: missing}}\n      steps: [{setWeight: 20}]\n")(yaml)
                      + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: bad-canary\nspec:\n  selector: {app: bad}\n  ports: [{port: 80, targetPort: 8080}]\n"
              },
              condition: "Stalled", reason: "HTTPRouteNotFound", report: "missing", gatewayAPI: true),
        Entry(name: "template labels that use the controller's revision label", layer: .controller,
              edit: replacing("      labels: {app: bad}", "      labels: {app: bad, apprelease.dev/revision: x}"),
              report: "spec.template.metadata.labels[apprelease.dev/revision]: is reserved"),
    ]

    static var base: String { AppReleaseManifest(name: "bad").yaml }
    static var objectOnly: String { base.components(separatedBy: "---\n")[0] }

    @Test("each entry is refused by its layer, with a message naming the field and the rule", arguments: entries)
    func refused(_ entry: Entry) async throws {
        try await Cluster.with { cluster in
            if entry.layer != .controller {
                let result = try await cluster.kubectl("apply", "--dry-run=server", "-f", "-", input: entry.edit(Self.objectOnly))
                #expect(!result.succeeded, "\(entry): accepted\n\(result)")
                #expect(result.output.contains(entry.refusal ?? "?"), "\(entry): \(result.output)")
                return
            }
            // Stored: the controller must say what is wrong, and act on nothing.
            if entry.gatewayAPI { try await cluster.installGatewayAPI() }
            let applied = try await cluster.kubectl("apply", "-f", "-", input: entry.edit(Self.base))
            #expect(applied.succeeded, "\(entry): refused at admission\n\(applied)")
            let waited = try await cluster.wait(for: entry.condition, of: "bad", timeout: 60)
            #expect(waited.succeeded, "\(entry): no \(entry.condition)=True\n\(waited)")
            let message = try await cluster.field("appreleases/bad", #".status.conditions[?(@.type=="\#(entry.condition)")].message"#)
            #expect(message.contains(entry.report ?? "?"), "\(entry): \(message)")
            #expect(try await cluster.conditionReason(entry.condition, of: "bad") == entry.reason, "\(entry)")
            #expect(try await cluster.replicaSets(of: "bad").isEmpty, "\(entry): a ReplicaSet was created")
        }
    }

    /// kubectl reads YAML as Go does: a byte that is not UTF-8 becomes U+FFFD before anything is
    /// sent, so the API server and the operator only ever see valid text. Nothing is refused and
    /// nothing is lost but that byte; the release goes ahead.
    @Test("invalid UTF-8 in a manifest: kubectl sends U+FFFD in its place, and the release goes ahead")
    func invalidUTF8() async throws {
        try await Cluster.with { cluster in
            var bytes: [UInt8] = []
            let yaml = Self.base.replacingOccurrences(of: "name: bad\n", with: "name: bad\n  annotations: {note: \"caf~\"}\n")
            for byte in yaml.utf8 { bytes.append(byte == UInt8(ascii: "~") ? 0x80 : byte) }
            let applied = try await cluster.kubectl(["apply", "-f", "-"], inputData: Data(bytes))
            #expect(applied.succeeded, "\(applied)")
            #expect(try await cluster.field("appreleases/bad", ".metadata.annotations.note") == "caf\u{FFFD}")
            let ready = try await cluster.wait(for: "Ready", of: "bad")
            #expect(ready.succeeded, "\(ready)")
        }
    }
}
