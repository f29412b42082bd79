import Foundation
import TestSupport

/// Digest-pinned image references. The simulated kubelet decides a pod's fate from the reference:
/// `crash` crash-loops, `pullerr` cannot be pulled, `unready` never becomes Ready, `slow` becomes
/// Ready after 10 s, anything else becomes Ready quickly.
enum Images {
    static func image(_ repository: String, _ release: String) -> String {
        // Any 64 hex characters make a valid digest; derive them from the release name so each is distinct.
        var hex = ""
        var seed: UInt64 = 1469598103934665603
        for byte in release.utf8 { seed = (seed ^ UInt64(byte)) &* 1099511628211 }
        while hex.count < 64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            hex += String(seed >> 32, radix: 16).leftPadded(to: 8)
        }
        return "registry.example/\(repository)@sha256:\(hex.prefix(64))"
    }
    static let v1 = image("web", "v1")
    static let v2 = image("web", "v2")
    static let slow = image("web-slow", "v2")
    static let crash = image("web-crash", "v3")
    static let pullError = image("web-pullerr", "v3")
    static let unready = image("web-unready", "v3")
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// The YAML a user would apply: an AppRelease `name` with `replicas` pods, a Service of the same
/// name selecting them, and one more Service (same selector) for each of `extraServices`.
struct AppReleaseManifest {
    var name = "web"
    var image = Images.v1
    var replicas = 3
    var maxSurge = "1"
    var maxUnavailable = "0"
    var progressDeadlineSeconds = 60
    var maxRestarts = 1
    var revisionHistoryLimit = 10
    /// The `strategy:` block's body; nil: Rolling with `maxSurge` / `maxUnavailable`.
    var strategy: String?
    var extraServices: [String] = []

    var strategyYAML: String {
        strategy ?? """
                type: Rolling
                rolling: {maxSurge: \(maxSurge), maxUnavailable: \(maxUnavailable)}
            """
    }

    var servicesYAML: String {
        ([name] + extraServices).map { service in
            """
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: \(service)
            spec:
              selector: {app: \(name)}
              ports: [{port: 80, targetPort: 8080}]

            """
        }.joined()
    }

    var yaml: String {
        """
        apiVersion: apprelease.dev/v1alpha1
        kind: AppRelease
        metadata:
          name: \(name)
        spec:
          image: \(image)
          replicas: \(replicas)
          selector:
            matchLabels: {app: \(name)}
          template:
            metadata:
              labels: {app: \(name)}
            spec:
              # On a real cluster, the lane's simulated nodes (tainted and labelled by kubesim kubelet).
              nodeSelector: {kubesim.dev/simulated: "true"}
              tolerations: [{key: kubesim.dev/simulated, operator: Exists, effect: NoSchedule}]
              containers:
              - name: app
                ports: [{containerPort: 8080}]
          progressDeadlineSeconds: \(progressDeadlineSeconds)
          revisionHistoryLimit: \(revisionHistoryLimit)
          failFast: {maxRestarts: \(maxRestarts), imagePullErrors: true}
          strategy:
        \(strategyYAML)
        \(servicesYAML)
        """
    }
}

extension Cluster {
    func apply(_ manifest: AppReleaseManifest) async throws {
        try await kubectlOK("apply", "-f", "-", input: manifest.yaml)
    }

    /// Sets a request annotation (`promote`, `abort`, `retry`) to a new value, as the plugin does.
    func request(_ annotation: String, value: String = UUID().uuidString.prefix(8).lowercased(), of name: String = "web") async throws {
        try await kubectlOK("annotate", "appreleases", name, "\(annotation)=\(value)", "--overwrite")
    }

    /// The revision a Service's selector is pinned to ("" when it is not pinned).
    func pinnedRevision(of service: String) async throws -> String {
        try await field("services/\(service)", #".spec.selector.apprelease\.dev/revision"#)
    }

    func release(_ name: String = "web", image: String) async throws {
        try await kubectlOK("patch", "appreleases", name, "--type", "merge", "-p", #"{"spec":{"image":"\#(image)"}}"#)
    }

    /// The status ("True"/"False"/"Unknown") of a condition, or "" when absent.
    func condition(_ type: String, of name: String = "web") async throws -> String {
        try await field("appreleases/\(name)", #".status.conditions[?(@.type=="\#(type)")].status"#)
    }

    func conditionReason(_ type: String, of name: String = "web") async throws -> String {
        try await field("appreleases/\(name)", #".status.conditions[?(@.type=="\#(type)")].reason"#)
    }

    /// `kubectl wait --for=condition=…`, exactly what CI runs; true when it exits 0.
    func wait(for condition: String, of name: String = "web", timeout: Int = 90) async throws -> CommandResult {
        try await kubectl("wait", "--for=condition=\(condition)", "appreleases/\(name)", "--timeout=\(timeout)s")
    }

    func replicaSets(of name: String = "web") async throws -> [(name: String, replicas: Int, ready: Int)] {
        let lines = try await kubectlOK(
            "get", "replicasets", "-l", "app=\(name)", "-o",
            #"jsonpath={range .items[*]}{.metadata.name} {.spec.replicas} {.status.readyReplicas}{"\n"}{end}"#)
        return lines.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            return (parts[0], Int(parts.count > 1 ? parts[1] : "") ?? 0, Int(parts.count > 2 ? parts[2] : "") ?? 0)
        }
    }
}
